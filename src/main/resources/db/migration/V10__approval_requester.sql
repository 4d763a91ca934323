-- Who asked for the run an approval holds, as Hookrail authenticated them (io.hookrail.broker.EventRequester):
-- source:<name> for a delivery whose signature the gateway verified, user:<name> for an admin user's replay of a dead
-- letter, jmx for a replay over JMX. It reaches the flow in the sealed JMS property hookrailRequester, and the
-- four-eyes rule reads it: an admin user may not approve what they asked for.
--
-- requested_by keeps what the event's data claims (data.requestedBy), shown to approvers as a claim, used for no rule.
-- Rows held before this migration have no authenticated requester (NULL).
ALTER TABLE approval ADD COLUMN requester VARCHAR(255);

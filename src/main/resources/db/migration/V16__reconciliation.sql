-- The business id of an accepted event (the data field its contract names in x-business-id), so the reconciliation
-- can tell a second delivery of one order, invoice, lead or refund under another event id (skipped as a duplicate
-- by its flow) from a lost event, even when the timeline dropped the duplicate's outcome. NULL for a type whose
-- contract names none, and for receipts written before this migration.
ALTER TABLE ingest_receipt ADD COLUMN business_id VARCHAR(255);

-- The reconciliation reads the attempts started in its window.
CREATE INDEX flow_attempt_started_at ON flow_attempt (started_at);

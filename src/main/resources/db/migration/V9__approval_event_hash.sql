-- A decision covers the exact event it was asked for. data_hash is the lowercase hex SHA-256 of the canonical JSON
-- of the CloudEvent's data (io.hookrail.json.CanonicalJson; set by io.hookrail.approval.ApprovalStore). One approval
-- per flow, business id and data: an event with the same business id and other data (a larger refund) is judged by
-- the policy afresh and, if held, gets an approval of its own; the same data sent again finds the approval it has.
--
-- Nothing is computed here: rows held before this migration keep data_hash NULL, and the gate matches such a row by
-- hashing the event it stored. New rows always carry the hash. A UNIQUE constraint treats NULLs as distinct on H2
-- and PostgreSQL, and the old rows were unique per flow and business id already.
ALTER TABLE approval ADD COLUMN data_hash VARCHAR(64);

ALTER TABLE approval DROP CONSTRAINT approval_flow_business;

ALTER TABLE approval ADD CONSTRAINT approval_flow_business_data UNIQUE (flow, business_id, data_hash);

-- Flow versions side by side (ADR 11). Every saga attempt records the version of the flow it runs on, so a retry,
-- a redelivery or a replay of the run stays on that version.
ALTER TABLE flow_attempt ADD COLUMN version VARCHAR(32) DEFAULT '1' NOT NULL;
-- the rollout monitor counts the attempts each version finished since its rollout began
CREATE INDEX flow_attempt_started ON flow_attempt (flow, started_at);

-- The rollout of a candidate version beside a flow's stable one, as configured (hookrail.flow.<flow>.candidate.*)
-- and as operators and the rollout monitor changed it since. state: STABLE (no candidate), CANARY (a share of new
-- runs goes to the candidate), PROMOTED (every new run does), ROLLED_BACK (none does). candidate_version is '' when
-- there is none.
CREATE TABLE flow_rollout (
    flow               VARCHAR(64)              NOT NULL,
    stable_version     VARCHAR(32)              NOT NULL,
    candidate_version  VARCHAR(32)              NOT NULL,
    share              INTEGER                  NOT NULL,
    state              VARCHAR(16)              NOT NULL,
    reason             VARCHAR(2000),
    started_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT flow_rollout_pk PRIMARY KEY (flow)
);

-- the version of the flow run an entry belongs to; null outside a flow run
ALTER TABLE event_timeline ADD COLUMN version VARCHAR(32);

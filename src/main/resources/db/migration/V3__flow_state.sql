-- Flow idempotency: one row per business key and operation (e.g. 'ORD-10001:fulfil').
-- IN_PROGRESS rows carry their owner instance and a heartbeat, so a key held by a dead process is taken over
-- (after a lease, or at once by the same instance restarting) instead of blocking the event forever.
CREATE TABLE flow_idempotency (
    idempotency_key VARCHAR(300)             NOT NULL,
    state           VARCHAR(16)              NOT NULL,
    owner           VARCHAR(64)              NOT NULL,
    heartbeat_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at    TIMESTAMP WITH TIME ZONE,
    attempt         INTEGER                  DEFAULT 1 NOT NULL,
    CONSTRAINT flow_idempotency_pk PRIMARY KEY (idempotency_key)
);

CREATE INDEX flow_idempotency_owner ON flow_idempotency (owner, state);

-- Responses of completed downstream steps, per flow run and saga attempt, so a compensation knows what to undo
-- (an invoice id, a payment id) and a restarted saga knows whether its last attempt was compensated.
CREATE TABLE flow_step (
    flow          VARCHAR(64)              NOT NULL,
    business_id   VARCHAR(255)             NOT NULL,
    run           INTEGER                  NOT NULL,
    attempt       INTEGER                  NOT NULL,
    step          VARCHAR(64)              NOT NULL,
    compensation  BOOLEAN                  NOT NULL,
    response      VARCHAR(65535)           NOT NULL,
    recorded_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT flow_step_pk PRIMARY KEY (flow, business_id, run, attempt, step)
);

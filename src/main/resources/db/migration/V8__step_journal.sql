-- The step journal (ADR 6): replaces flow_step and the attempt counter of flow_idempotency.
-- One row per saga attempt of a flow on a business id. The attempt is the generation of every downstream key of
-- its steps: a new attempt starts only after the previous one was compensated.
CREATE TABLE flow_attempt (
    flow         VARCHAR(64)              NOT NULL,
    business_id  VARCHAR(255)             NOT NULL,
    attempt      INTEGER                  NOT NULL,
    -- RUNNING, COMPENSATING, COMPENSATED or COMPLETED
    state        VARCHAR(16)              NOT NULL,
    event_id     VARCHAR(255)             NOT NULL,
    -- why the attempt is being (or was) compensated
    failure      VARCHAR(2000),
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT flow_attempt_pk PRIMARY KEY (flow, business_id, attempt)
);

-- One row per step of an attempt, compensations included: the intent is written (committed) before each call, the
-- outcome after it. state: INTENT (a call may be under way, or was when the process died), DONE (with the response),
-- FAILED (the downstream answered without an effect), UNKNOWN (a call timed out or lost its connection: it may have
-- taken effect), COMPENSATED (its compensation is done).
CREATE TABLE flow_step_journal (
    flow             VARCHAR(64)              NOT NULL,
    business_id      VARCHAR(255)             NOT NULL,
    attempt          INTEGER                  NOT NULL,
    step             VARCHAR(64)              NOT NULL,
    seq              INTEGER                  NOT NULL,
    idempotency_key  VARCHAR(300)             NOT NULL,
    state            VARCHAR(16)              NOT NULL,
    calls            INTEGER                  NOT NULL,
    -- the route that undoes the step (e.g. direct:order-fulfilment-refund-payment), if it has one
    compensation     VARCHAR(255),
    -- the step this row undoes, for a compensation's own call
    undoes           VARCHAR(64),
    request_url      VARCHAR(2000)            NOT NULL,
    request_body     VARCHAR(65535)           NOT NULL,
    response         VARCHAR(65535),
    last_error       VARCHAR(2000),
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT flow_step_journal_pk PRIMARY KEY (flow, business_id, attempt, step)
);

DROP TABLE flow_step;
ALTER TABLE flow_idempotency DROP COLUMN attempt;

-- Events held for a person's approval. One row per flow and business id: a repeat of a held event finds its row.
-- The state moves once, PENDING to APPROVED, REJECTED or EXPIRED, by a conditional update: one decision wins.
CREATE TABLE approval (
    id            VARCHAR(64)              NOT NULL,
    flow          VARCHAR(64)              NOT NULL,
    business_id   VARCHAR(255)             NOT NULL,
    event_id      VARCHAR(255)             NOT NULL,
    event_type    VARCHAR(128)             NOT NULL,
    rule_id       VARCHAR(128)             NOT NULL,
    reason        VARCHAR(1000)            NOT NULL,
    state         VARCHAR(16)              NOT NULL,
    requested_by  VARCHAR(254),
    amount_minor  BIGINT,
    currency      VARCHAR(3),
    event         VARCHAR(65535)           NOT NULL,
    run           INTEGER                  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_at    TIMESTAMP WITH TIME ZONE,
    decided_by    VARCHAR(128),
    decision_comment VARCHAR(2000),
    CONSTRAINT approval_pk PRIMARY KEY (id),
    CONSTRAINT approval_flow_business UNIQUE (flow, business_id)
);

CREATE INDEX approval_state ON approval (state, created_at);

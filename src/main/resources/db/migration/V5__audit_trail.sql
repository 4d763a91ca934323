-- Tamper-evident audit trail: who did what to which subject, as an append-only SHA-256 hash chain.
-- Each row's hash covers its content and the previous row's hash (formula in io.hookrail.audit.AuditTrail), so a
-- row changed, inserted or deleted behind the application's back breaks the chain at that row.
-- seq is assigned by the application in chain order (1, 2, 3, ... without gaps), not by an identity: a gap is
-- evidence of a deleted row, and an identity may skip values on rollback.
CREATE TABLE audit_entry (
    seq             BIGINT                   NOT NULL,
    at              TIMESTAMP WITH TIME ZONE NOT NULL,
    actor           VARCHAR(128)             NOT NULL,
    action          VARCHAR(64)              NOT NULL,
    subject         VARCHAR(255)             NOT NULL,
    correlation_id  VARCHAR(128),
    detail          VARCHAR(65535)           NOT NULL,
    prev_hash       VARCHAR(64)              NOT NULL,
    hash            VARCHAR(64)              NOT NULL,
    CONSTRAINT audit_entry_pk PRIMARY KEY (seq)
);

CREATE INDEX audit_entry_actor ON audit_entry (actor, seq);
CREATE INDEX audit_entry_action ON audit_entry (action, seq);
CREATE INDEX audit_entry_subject ON audit_entry (subject, seq);
CREATE INDEX audit_entry_at ON audit_entry (at);

-- The head of the chain: one row, locked with SELECT ... FOR UPDATE by every append, so appends from several
-- Hookrail instances sharing the database serialise into one chain. It also records the newest entry, so deleting
-- entries from the end of the chain is detected too.
CREATE TABLE audit_head (
    id              INTEGER                  NOT NULL,
    last_seq        BIGINT                   NOT NULL,
    last_hash       VARCHAR(64)              NOT NULL,
    CONSTRAINT audit_head_pk PRIMARY KEY (id),
    CONSTRAINT audit_head_single_row CHECK (id = 1)
);

INSERT INTO audit_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Door deduplication: one row per (source, event id) the gateway has accepted.
-- The row is inserted in the same transaction that spans the broker send (see docs/adr/0001),
-- so the primary key both rejects repeats and serialises concurrent deliveries of one event.
CREATE TABLE ingest_receipt (
    source          VARCHAR(64)              NOT NULL,
    event_id        VARCHAR(255)             NOT NULL,
    event_type      VARCHAR(128)             NOT NULL,
    correlation_id  VARCHAR(128)             NOT NULL,
    received_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ingest_receipt_pk PRIMARY KEY (source, event_id)
);

CREATE INDEX ingest_receipt_received_at ON ingest_receipt (received_at);

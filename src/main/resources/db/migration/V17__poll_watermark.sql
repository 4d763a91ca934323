-- The watermark of each polling source (docs/polling.md, ADR 12): where its next poll starts (a cursor or a
-- timestamp, as the remote system pages), advanced only after the items of a page were admitted (committed); the
-- watermark its current window began at; and an operator's pending re-run from an earlier watermark, which the
-- instance holding the poller takes up at its next tick. NULL watermark: from the beginning.
CREATE TABLE poll_watermark (
    source            VARCHAR(64)              NOT NULL,
    watermark         VARCHAR(1000),
    window_start      VARCHAR(1000),
    window_started_at TIMESTAMP WITH TIME ZONE,
    rerun_from        VARCHAR(1000),
    last_poll_at      TIMESTAMP WITH TIME ZONE,
    last_success_at   TIMESTAMP WITH TIME ZONE,
    last_error        VARCHAR(1000),
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT poll_watermark_pk PRIMARY KEY (source)
);

-- The sandbox ERP's feed of paid invoices (GET /sandbox/erp/paid-invoices?after=&limit=), which a polling source
-- pages through by sequence number: the demo of a system that cannot send webhooks.
CREATE TABLE sandbox_feed_item (
    seq        BIGINT                   NOT NULL,
    feed       VARCHAR(64)              NOT NULL,
    item_id    VARCHAR(200)             NOT NULL,
    body       VARCHAR(10000)           NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT sandbox_feed_item_pk PRIMARY KEY (feed, seq),
    CONSTRAINT sandbox_feed_item_id UNIQUE (feed, item_id)
);

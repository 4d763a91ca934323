-- Singleton jobs (master:<namespace>:...): one row per namespace, held by one instance until expires_at (ADR 9).
-- Every time here is the database's clock (CURRENT_TIMESTAMP), so instances with skewed clocks agree on expiry.
CREATE TABLE cluster_lease (
    namespace    VARCHAR(100)             NOT NULL,
    holder       VARCHAR(100)             NOT NULL,
    acquired_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    renewed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT cluster_lease_pk PRIMARY KEY (namespace)
);

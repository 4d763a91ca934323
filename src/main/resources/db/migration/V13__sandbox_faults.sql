-- The faults injected into the sandbox's systems, in the store so that every instance behind one sandbox API applies
-- them: one row per scope, a whole system (operation '') or one operation of it; a new fault replaces its scope's row.
-- A call reads its system's rows by the primary key's prefix.
CREATE TABLE sandbox_fault (
    system              VARCHAR(32)      NOT NULL,
    operation           VARCHAR(64)      NOT NULL,
    mode                VARCHAR(16)      NOT NULL,
    rate                DOUBLE PRECISION NOT NULL,
    delay_ms            BIGINT           NOT NULL,
    retry_after_seconds BIGINT           NOT NULL,
    CONSTRAINT sandbox_fault_pk PRIMARY KEY (system, operation)
);

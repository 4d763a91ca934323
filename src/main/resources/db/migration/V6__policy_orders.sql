-- Orders as the policy saw them, so a refund can be judged against its order (e.g. never larger than it).
CREATE TABLE policy_order (
    order_id      VARCHAR(255)             NOT NULL,
    amount_minor  BIGINT                   NOT NULL,
    currency      VARCHAR(3)               NOT NULL,
    seen_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT policy_order_pk PRIMARY KEY (order_id)
);

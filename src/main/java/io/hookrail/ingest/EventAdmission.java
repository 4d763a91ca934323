package io.hookrail.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a verified, valid event exactly once: records its receipt and publishes it in one store transaction that
 * commits only after the broker confirmed the send.
 * <ul>
 * <li>the send fails: the transaction rolls back, the sender gets 503 and its retry is new, not a duplicate;</li>
 * <li>a crash after the send but before the commit: no receipt, so the retry is published again; the copy carries
 * the same event id, which the flows deduplicate. Nothing is lost and nothing is applied twice.</li>
 * </ul>
 */
public final class EventAdmission {

    /** What became of an event at the door. */
    public enum Outcome { ACCEPTED, DUPLICATE }

    private static final Logger LOG = LoggerFactory.getLogger(EventAdmission.class);

    private final DataSource dataSource;
    private final IngestReceipts receipts;
    private final EventPublisher publisher;
    private final Clock clock;
    private final int retryAfterSeconds;

    public EventAdmission(DataSource dataSource, IngestReceipts receipts, EventPublisher publisher, Clock clock,
                          int retryAfterSeconds) {
        this.dataSource = dataSource;
        this.receipts = receipts;
        this.publisher = publisher;
        this.clock = clock;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Outcome admit(String source, IncomingEvent event, CloudEvent normalised) throws WebhookRejection {
        Connection transaction;
        try {
            transaction = dataSource.getConnection();
        } catch (SQLException e) {
            throw unavailable("store", e);
        }
        try (transaction) {
            transaction.setAutoCommit(false);
            if (!receipts.record(transaction, source, event, normalised.correlationId(), clock.instant())) {
                transaction.rollback();
                return Outcome.DUPLICATE;
            }
            try {
                publisher.publish(normalised);
            } catch (Exception e) {
                transaction.rollback();
                throw unavailable("broker", e);
            }
            transaction.commit();
            return Outcome.ACCEPTED;
        } catch (SQLException e) {
            throw unavailable("store", e);
        }
    }

    private WebhookRejection unavailable(String what, Exception cause) {
        LOG.warn("Event not accepted: the {} is unavailable ({})", what, cause.getMessage());
        return WebhookRejection.unavailable(what, retryAfterSeconds, cause);
    }
}

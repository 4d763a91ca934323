package io.hookrail.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.hookrail.privacy.PersonalData;
import io.hookrail.store.GroupCommit;
import io.hookrail.store.SqlStates;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits verified, valid events exactly once, by group commit (ADR 8): the deliveries waiting together form one batch,
 * whose receipts are written in one store transaction, whose new events are published in one broker transaction
 * ({@link EventPublisher}), and whose store transaction commits only after the broker committed. Then every delivery
 * of the batch is answered:
 * <ul>
 * <li>accepted (202) only once both are durable; a duplicate (200) when its (source, event id) was recorded before,
 * or came earlier in the same batch;</li>
 * <li>a failed batch (broker, store, or no answer within the timeout) fails every delivery of it (503, Retry-After):
 * the store rolls back, so each retry is new, not a duplicate;</li>
 * <li>a crash after the broker's commit but before the store's: no receipts, so the retries are published again with
 * the same event ids, which the flows deduplicate (ADR 1). Nothing is lost and nothing is applied twice.</li>
 * </ul>
 */
public final class EventAdmission extends ServiceSupport {

    /** What became of an event at the door. */
    public enum Outcome { ACCEPTED, DUPLICATE }

    /** The registry name of the bean. */
    public static final String BEAN = "eventAdmission";

    private static final Logger LOG = LoggerFactory.getLogger(EventAdmission.class);
    /** Tries of a batch whose receipts another instance inserted meanwhile; each try sees more of them as recorded. */
    private static final int ATTEMPTS = 3;

    /** One delivery waiting for its batch. */
    private record Delivery(IngestReceipts.Receipt receipt, OutgoingEvent event) {
    }

    /** Why a batch failed: the {@code what} that was unavailable, as the 503 names it. */
    private static final class BatchFailed extends Exception {
        private final String what;

        BatchFailed(String what, Exception cause) {
            super(what + " unavailable: " + cause.getMessage(), cause);
            this.what = what;
        }
    }

    /** Another writer (instance) inserted one of the batch's receipts since the batch looked. */
    private static final class ReceiptRace extends Exception {
        ReceiptRace(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final DataSource dataSource;
    private final IngestReceipts receipts;
    private final EventPublisher publisher;
    private final EventContracts contracts;
    private final PersonalData personalData;
    private final Clock clock;
    private final int retryAfterSeconds;
    private final long timeoutMillis;
    private final GroupCommit<Delivery, Outcome> groupCommit;
    private final Supplier<Map<String, String>> traceContext;

    /**
     * @param dataSource    the gateway's own pool ({@link io.hookrail.store.IngestPool})
     * @param maxBatch      deliveries per batch at most
     * @param lingerMicros  how long a batch waits for more deliveries after its first
     * @param timeoutMillis how long a delivery waits at most for a batch to take it, and then for that batch (which
     *                      bounds each of the batch's statements too)
     * @param traceContext  the trace context of the calling thread's current span, which the batch's writer (another
     *                      thread) sends with the event ({@code Map::of} when tracing is off)
     */
    public EventAdmission(DataSource dataSource, IngestReceipts receipts, EventPublisher publisher,
                          EventContracts contracts, PersonalData personalData, Clock clock, int retryAfterSeconds,
                          int maxBatch, long lingerMicros, long timeoutMillis,
                          Supplier<Map<String, String>> traceContext) {
        this.dataSource = dataSource;
        this.receipts = receipts;
        this.publisher = publisher;
        this.contracts = contracts;
        this.personalData = personalData;
        this.clock = clock;
        this.retryAfterSeconds = retryAfterSeconds;
        this.timeoutMillis = timeoutMillis;
        this.traceContext = traceContext;
        this.groupCommit = new GroupCommit<>("hookrail-ingest-commit", maxBatch, lingerMicros, this::write);
    }

    /**
     * Admits one event and waits for its batch; on the caller's thread, the event is prepared for the broker first
     * (personal fields encrypted, its message group read, its trace context taken), so the writer only writes.
     */
    public Outcome admit(String source, IncomingEvent event, CloudEvent normalised) throws WebhookRejection {
        CloudEvent encrypted = new CloudEvent(normalised.id(), normalised.source(), normalised.type(),
                normalised.correlationId(), personalData.encryptEvent(normalised.json()));
        String businessId = contracts.businessId(event);
        Delivery delivery = new Delivery(new IngestReceipts.Receipt(new IngestReceipts.Key(source, event.id()),
                event.type(), businessId, normalised.correlationId(), clock.instant()),
                new OutgoingEvent(encrypted, businessId, traceContext.get()));
        try {
            return groupCommit.submit(delivery, timeoutMillis);
        } catch (BatchFailed e) {
            throw unavailable(e.what, e.getCause());
        } catch (TimeoutException e) {
            throw unavailable("broker or store", new TimeoutException("no commit within " + timeoutMillis + " ms"));
        } catch (Exception e) {
            if (!isStarted()) { // stopping: the deliveries still waiting are refused
                throw WebhookRejection.shuttingDown(retryAfterSeconds);
            }
            throw unavailable("broker or store", e);
        }
    }

    /** How many batches were written since startup. */
    public long batches() {
        return groupCommit.batches();
    }

    /** How many deliveries wait for a batch now. */
    public int waiting() {
        return groupCommit.waiting();
    }

    @Override
    protected void doStart() {
        groupCommit.start();
    }

    @Override
    protected void doStop() throws Exception {
        groupCommit.stop(); // the writer finishes its batch; deliveries still waiting are refused
        if (publisher instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** The group commit's batch writer, on its one thread. */
    private List<Outcome> write(List<Delivery> batch) throws BatchFailed {
        for (int attempt = 1; ; attempt++) {
            try {
                return writeOnce(batch);
            } catch (ReceiptRace race) {
                if (attempt == ATTEMPTS) {
                    throw new BatchFailed("store", race);
                }
                LOG.debug("A receipt of the batch was written by another instance meanwhile; trying the batch again");
            }
        }
    }

    private List<Outcome> writeOnce(List<Delivery> batch) throws BatchFailed, ReceiptRace {
        Connection transaction;
        try {
            transaction = dataSource.getConnection();
        } catch (SQLException e) {
            throw failed("store", e, batch);
        }
        try (transaction) {
            transaction.setAutoCommit(false);
            List<IngestReceipts.Key> keys = new ArrayList<>(batch.size());
            batch.forEach(delivery -> keys.add(delivery.receipt().key()));
            Set<IngestReceipts.Key> taken = new HashSet<>(receipts.recorded(transaction, keys, queryTimeoutSeconds()));
            List<Outcome> outcomes = new ArrayList<>(batch.size());
            List<IngestReceipts.Receipt> fresh = new ArrayList<>();
            List<OutgoingEvent> events = new ArrayList<>();
            for (Delivery delivery : batch) {
                // recorded before, or an earlier copy in this batch: a duplicate, which shares that copy's fate
                if (taken.add(delivery.receipt().key())) {
                    outcomes.add(Outcome.ACCEPTED);
                    fresh.add(delivery.receipt());
                    events.add(delivery.event());
                } else {
                    outcomes.add(Outcome.DUPLICATE);
                }
            }
            if (fresh.isEmpty()) {
                transaction.rollback();
                return outcomes;
            }
            try {
                receipts.insert(transaction, fresh, queryTimeoutSeconds());
            } catch (SQLException e) {
                transaction.rollback();
                if (SqlStates.isUniqueViolation(e)) {
                    throw new ReceiptRace(e);
                }
                throw e;
            }
            try {
                publisher.publish(events);
            } catch (Exception e) {
                transaction.rollback();
                throw failed("broker", e, batch);
            }
            // a failure from here on leaves the events on the broker without receipts: retries publish them again
            transaction.commit();
            return outcomes;
        } catch (SQLException e) {
            throw failed("store", e, batch);
        }
    }

    private int queryTimeoutSeconds() {
        return (int) Math.max(1, timeoutMillis / 1000);
    }

    private static BatchFailed failed(String what, Exception cause, List<Delivery> batch) {
        LOG.warn("A batch of {} event(s) was not accepted: the {} is unavailable ({})", batch.size(), what,
                cause.getMessage());
        return new BatchFailed(what, cause);
    }

    private WebhookRejection unavailable(String what, Throwable cause) {
        return WebhookRejection.unavailable(what, retryAfterSeconds, cause);
    }
}

package io.hookrail.flow;

import java.sql.SQLException;
import java.util.Optional;

import io.hookrail.dlq.DeadLetterStore;
import io.hookrail.flow.StepJournal.Attempt;
import io.hookrail.flow.StepJournal.AttemptState;
import org.apache.camel.Exchange;

/**
 * Where a flow run of a business id starts and how its bookkeeping ends, inside the flow's Idempotent Consumer.
 * <p>
 * {@link #begin} picks the saga attempt from the journal: the current one while it runs (a retry, a redelivery, a
 * replay or a second copy of the event resume it, so done steps are skipped and the others reuse their keys), a new
 * one only after the previous one was compensated. {@link #complete} marks the attempt and the flow key done in the
 * route, so a failed write fails the run and is retried instead of being lost in Camel's completion callback.
 */
public final class FlowRun {

    /** The registry name of the bean. */
    public static final String BEAN = "flowRun";
    /** The outcome after which a business id is free for a new event (an approval that expired). */
    static final String EXPIRED = "expired";

    private final StepJournal journal;
    private final FlowIdempotencyRepository keys;

    public FlowRun(StepJournal journal, FlowIdempotencyRepository keys) {
        this.journal = journal;
        this.keys = keys;
    }

    /** Sets {@link FlowContext#ATTEMPT}; a run whose attempt already failed goes back to dead-lettering. */
    public void begin(Exchange exchange) throws SQLException {
        String flow = exchange.getProperty(FlowContext.FLOW, String.class);
        String businessId = exchange.getProperty(FlowContext.BUSINESS_ID, String.class);
        String eventId = exchange.getProperty(FlowContext.EVENT_ID, String.class);
        Optional<Attempt> latest = journal.latestAttempt(flow, businessId);
        Attempt attempt;
        if (latest.isEmpty()) {
            attempt = journal.startAttempt(flow, businessId, 1, eventId);
        } else {
            attempt = latest.get();
            exchange.setProperty(FlowContext.ATTEMPT, attempt.number());
            boolean sameDelivery = attempt.eventId().equals(eventId)
                    && exchange.getMessage().getHeader(DeadLetterStore.REPLAYED_FROM) == null;
            switch (attempt.state()) {
                case COMPENSATING ->
                        throw new RunAlreadyFailedException(flow, businessId, attempt.number(), attempt.failure());
                case COMPENSATED -> {
                    if (sameDelivery) {
                        throw new RunAlreadyFailedException(flow, businessId, attempt.number(), attempt.failure());
                    }
                    attempt = journal.startAttempt(flow, businessId, attempt.number() + 1, eventId);
                }
                // a completed attempt runs again only for another event once its key was released or purged
                case COMPLETED -> {
                    if (!attempt.eventId().equals(eventId)) {
                        attempt = journal.startAttempt(flow, businessId, attempt.number() + 1, eventId);
                    }
                }
                case RUNNING -> {
                }
            }
        }
        exchange.setProperty(FlowContext.ATTEMPT, attempt.number());
    }

    /** The steps ran: the attempt is completed and the flow key confirmed (or released after an expiry). */
    public void complete(Exchange exchange) throws SQLException {
        journal.attemptState(JournaledStep.run(exchange), AttemptState.COMPLETED, null);
        String key = exchange.getProperty(FlowContext.KEY, String.class);
        boolean held = EXPIRED.equals(exchange.getProperty(FlowOutcomes.OUTCOME, String.class))
                ? keys.remove(key) : keys.confirm(key);
        if (!held) {
            // another instance took the key over after this one was silent past the lease: it runs the event
            throw new FlowKeyBusyException(key);
        }
    }

    /** The run ends without completing: its flow key goes, so a replay or a new copy of the event can run. */
    public void release(Exchange exchange) {
        String key = exchange.getProperty(FlowContext.KEY, String.class);
        if (key != null) {
            keys.remove(key);
        }
    }
}

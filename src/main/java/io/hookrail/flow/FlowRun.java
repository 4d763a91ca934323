package io.hookrail.flow;

import java.sql.SQLException;
import java.util.Optional;

import io.hookrail.dlq.DeadLetterStore;
import io.hookrail.flow.StepJournal.Attempt;
import io.hookrail.flow.StepJournal.AttemptState;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * Where a flow run of a business id starts and how its bookkeeping ends, inside the flow's Idempotent Consumer.
 * <p>
 * {@link #begin} picks the saga attempt from the journal: the current one while it runs (a retry, a redelivery, a
 * replay or a second copy of the event resume it, so done steps are skipped and the others reuse their keys), a new
 * one only after the previous one was compensated. {@link #complete} marks the attempt and the flow key done in the
 * route, so a failed write fails the run and is retried instead of being lost in Camel's completion callback.
 * <p>
 * {@link #begin} also picks the version of the flow the run goes through ({@link FlowContext#FLOW_VERSION}, and its
 * steps' route {@link FlowContext#STEPS}): a new attempt takes the version its rollout gives its business id; a run
 * under way, and a replay of a compensated one, stay on the version the journal recorded for them.
 */
public final class FlowRun {

    /** The registry name of the bean. */
    public static final String BEAN = "flowRun";
    /** The outcome after which a business id is free for a new event (an approval that expired). */
    static final String EXPIRED = "expired";

    private final StepJournal journal;
    private final FlowIdempotencyRepository keys;
    private final FlowRollouts rollouts;

    public FlowRun(StepJournal journal, FlowIdempotencyRepository keys, FlowRollouts rollouts) {
        this.journal = journal;
        this.keys = keys;
        this.rollouts = rollouts;
    }

    /** Sets {@link FlowContext#ATTEMPT}; a run whose attempt already failed goes back to dead-lettering. */
    public void begin(Exchange exchange) throws SQLException {
        String flow = exchange.getProperty(FlowContext.FLOW, String.class);
        String businessId = exchange.getProperty(FlowContext.BUSINESS_ID, String.class);
        String eventId = exchange.getProperty(FlowContext.EVENT_ID, String.class);
        // the entry's version, its stable one (the template's parameter)
        String stable = exchange.getProperty(FlowContext.FLOW_VERSION, "1", String.class);
        FlowRollout rollout = rollouts.of(flow, stable);
        Optional<Attempt> latest = journal.latestAttempt(flow, businessId);
        Attempt attempt;
        if (latest.isEmpty()) {
            attempt = journal.startAttempt(flow, businessId, 1, eventId, rollout.versionFor(businessId));
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
                    // a replay resumes the run on its version; a new event starts on the rollout's
                    String version = exchange.getMessage().getHeader(DeadLetterStore.REPLAYED_FROM) != null
                            ? attempt.version() : rollout.versionFor(businessId);
                    attempt = journal.startAttempt(flow, businessId, attempt.number() + 1, eventId, version);
                }
                // a completed attempt runs again only for another event once its key was released or purged
                case COMPLETED -> {
                    if (!attempt.eventId().equals(eventId)) {
                        attempt = journal.startAttempt(flow, businessId, attempt.number() + 1, eventId,
                                rollout.versionFor(businessId));
                    }
                }
                case RUNNING -> {
                }
            }
        }
        exchange.setProperty(FlowContext.ATTEMPT, attempt.number());
        exchange.setProperty(FlowContext.FLOW_VERSION, attempt.version());
        exchange.setProperty(FlowContext.STEPS, stepsOf(exchange.getContext(), flow, attempt.version(), stable));
    }

    /**
     * The route of a version's steps: {@code direct:<flow>} for the stable version (the {@code version} of the
     * flow's entry), {@code direct:<flow>-v<version>} for any other.
     *
     * @throws FlowVersionMissingException when no route consumes it (a version removed while runs are pinned to it)
     */
    static String stepsOf(CamelContext context, String flow, String version, String stableVersion) {
        String uri = "direct:" + (version.equals(stableVersion) ? flow : flow + "-v" + version);
        String normalized = "direct://" + uri.substring("direct:".length());
        if (context.getRoutes().stream().noneMatch(route -> normalized.equals(route.getEndpoint().getEndpointUri()))) {
            throw new FlowVersionMissingException(flow, version, uri);
        }
        return uri;
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

package io.hookrail.dlq;

/**
 * The contract of a dead letter: it sits on queue {@code DLQ.<flow>} as the original message (the CloudEvent as it
 * entered the flow, with its JMS properties) plus these JMS properties describing the failure.
 */
public final class DeadLetters {

    /** Prefix of every dead-letter queue: {@code DLQ.order-fulfilment}. */
    public static final String QUEUE_PREFIX = "DLQ.";

    /** The flow that failed. */
    public static final String FLOW = "hookrailFlow";
    /** The queue the flow consumes, where a replay puts the message back. */
    public static final String ORIGIN_QUEUE = "hookrailOriginQueue";
    /** Fully qualified class name of the exception that ended the run. */
    public static final String EXCEPTION = "hookrailFailureException";
    /** The exception's message. */
    public static final String ERROR = "hookrailFailureMessage";
    /** How many times the failing step was tried (1 + redeliveries). */
    public static final String ATTEMPTS = "hookrailFailureAttempts";
    /** When the run first failed and when it last failed (ISO-8601 instants). */
    public static final String FIRST_FAILURE_AT = "hookrailFirstFailureAt";
    public static final String LAST_FAILURE_AT = "hookrailLastFailureAt";
    /**
     * What the dead letter is: {@code failed-run}, {@code failed-compensation} or {@code poison}
     * ({@link DeadLetterKind}). A dead letter written before this property existed is read from {@link #POISON} and
     * {@link #FAILED_COMPENSATION}, which are still written.
     */
    public static final String KIND = "hookrailDeadLetterKind";
    /**
     * The steps the run had done when it failed, comma-separated in the order they were done
     * ({@code invoice.create,payment.capture}); empty when none. Copied from the exchange property of the same name,
     * which the flow engine keeps.
     */
    public static final String STEPS_DONE = "hookrailStepsDone";
    /**
     * JMS property of a replayed message: the {@link #KIND} of the dead letter it was replayed from, so the flow
     * knows what the replay is for (a replayed {@code failed-compensation} finishes its compensation).
     */
    public static final String REPLAYED_KIND = "hookrailReplayedKind";
    /**
     * The data-quality rules a quarantined event failed, comma-separated ({@code known:data.orderId}); its
     * {@link #ERROR} says why, one reason per rule. Absent on a dead letter.
     */
    public static final String RULES = "hookrailQualityRules";
    /** "true" when the message can never succeed (unparseable, or failing the data contract): not retried. */
    public static final String POISON = "hookrailPoison";
    /** "true" when a saga compensation failed: the flow's side effects may need a person. */
    public static final String FAILED_COMPENSATION = "hookrailFailedCompensation";
    /**
     * The run number of the flow for this event: 1 for the first delivery, +1 on every replay. Downstream
     * idempotency keys include it, so a broker redelivery after a crash repeats the same keys while a replay after a
     * compensated run gets fresh ones.
     */
    public static final String RUN = "hookrailRun";

    private DeadLetters() {
    }

    public static String queue(String flow) {
        return QUEUE_PREFIX + flow;
    }
}

package io.hookrail.flow;

/**
 * What every step of a flow run knows, as exchange properties: the flow, the event (also as variable {@code event}),
 * the contract version ({@code dataschema}), the business id, the run number, the saga attempt and the correlation id. Compensations run on exchanges of their
 * own that carry the same ({@link FlowCompensation}).
 */
public final class FlowContext {

    public static final String FLOW = "flow";
    /** The version of the flow the run goes through: set by its entry, then pinned by {@link FlowRun}. */
    public static final String FLOW_VERSION = "flowVersion";
    /** The route of that version's steps. */
    public static final String STEPS = "flowSteps";
    public static final String EVENT_ID = "eventId";
    public static final String BUSINESS_ID = "businessId";
    public static final String RUN = "run";
    /** The saga attempt of the business id, from the step journal: the generation of its steps' keys. */
    public static final String ATTEMPT = "attempt";
    /** The flow's idempotency key, business id plus operation. */
    public static final String KEY = "flowKey";
    public static final String CORRELATION_ID = "correlationId";
    public static final String EVENT_VARIABLE = "event";
    /** Set on a shadow run of a candidate version ({@link FlowShadows}): it calls the sandbox only. */
    public static final String SHADOW = "flowShadow";
    /** The contract the event was validated against ({@code urn:hookrail:schema:order.placed:v2}). */
    public static final String DATASCHEMA = "dataschema";

    private FlowContext() {
    }
}

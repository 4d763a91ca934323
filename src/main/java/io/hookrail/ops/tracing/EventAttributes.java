package io.hookrail.ops.tracing;

import java.util.function.BiConsumer;

import io.hookrail.broker.EventTopics;
import io.hookrail.flow.FlowContext;
import io.hookrail.flow.JournaledStep;
import org.apache.camel.Exchange;

/**
 * The span attributes that find an event's trace: its event id and correlation id, and in a flow the flow, its
 * version, and the step and downstream system of a call. Read from the exchange properties that also feed the MDC
 * (the gateway's and the flows' have the same names), or, on a flow's JMS message before the flow read it, from the
 * event's message properties ({@link EventTopics}).
 */
public final class EventAttributes {

    public static final String EVENT_ID = "hookrail.event.id";
    public static final String CORRELATION_ID = "hookrail.correlation.id";
    public static final String FLOW = "hookrail.flow";
    public static final String FLOW_VERSION = "hookrail.flow.version";
    public static final String STEP = "hookrail.step";
    public static final String SYSTEM = "hookrail.system";

    /** The exchange property naming the system a flow step calls. */
    static final String SYSTEM_PROPERTY = "system";

    private EventAttributes() {
    }

    /**
     * Sets the event's attributes and, in a flow, the flow's, as far as the exchange has them: from exchange
     * properties only, which no request header or query parameter can set.
     */
    public static void tag(BiConsumer<String, String> span, Exchange exchange) {
        put(span, EVENT_ID, exchange.getProperty(FlowContext.EVENT_ID, String.class));
        put(span, CORRELATION_ID, exchange.getProperty(FlowContext.CORRELATION_ID, String.class));
        put(span, FLOW, exchange.getProperty(FlowContext.FLOW, String.class));
        put(span, FLOW_VERSION, exchange.getProperty(FlowContext.FLOW_VERSION, String.class));
    }

    /** Sets the event's attributes from the properties of its JMS message, before a flow has read it. */
    public static void tagMessage(BiConsumer<String, String> span, Exchange exchange) {
        put(span, EVENT_ID, exchange.getMessage().getHeader(EventTopics.EVENT_ID_HEADER, String.class));
        put(span, CORRELATION_ID, exchange.getMessage().getHeader(EventTopics.CORRELATION_ID_HEADER, String.class));
    }

    /**
     * As {@link #tag}, and the step and system of the downstream call under way: only while it is, since a run's
     * exchange keeps the last step's system after it.
     */
    public static void tagCall(BiConsumer<String, String> span, Exchange exchange) {
        tag(span, exchange);
        put(span, STEP, exchange.getProperty(JournaledStep.STEP, String.class));
        // set by the downstream-call-action kamelet for its call
        put(span, SYSTEM, exchange.getProperty(SYSTEM_PROPERTY, String.class));
    }

    static void put(BiConsumer<String, String> span, String key, String value) {
        if (value != null && !value.isEmpty()) {
            span.accept(key, value);
        }
    }
}

package io.hookrail.ops.tracing;

import java.util.function.BiConsumer;

import io.hookrail.broker.EventTopics;
import io.hookrail.flow.FlowContext;
import io.hookrail.flow.JournaledStep;
import org.apache.camel.Exchange;

/**
 * The span attributes that find an event's trace: its event id and correlation id (the gateway's exchange
 * properties of the same names as the flows'), and in a flow the flow, its
 * version, and the step and downstream system of a call. Read from the exchange properties that also feed the MDC,
 * or, on a flow's JMS message before the flow read it, from the event's message properties ({@link EventTopics}).
 */
public final class EventAttributes {

    public static final String EVENT_ID = "hookrail.event.id";
    public static final String CORRELATION_ID = "hookrail.correlation.id";
    public static final String FLOW = "hookrail.flow";
    public static final String FLOW_VERSION = "hookrail.flow.version";
    public static final String STEP = "hookrail.step";
    public static final String SYSTEM = "hookrail.system";

    private static final String SYSTEM_PROPERTY = "system";

    private EventAttributes() {
    }

    /** Sets every attribute the exchange has a value for. */
    public static void tag(BiConsumer<String, String> span, Exchange exchange) {
        put(span, EVENT_ID, first(exchange.getProperty(FlowContext.EVENT_ID, String.class),
                exchange.getMessage().getHeader(EventTopics.EVENT_ID_HEADER, String.class)));
        put(span, CORRELATION_ID, first(exchange.getProperty(FlowContext.CORRELATION_ID, String.class),
                exchange.getMessage().getHeader(EventTopics.CORRELATION_ID_HEADER, String.class)));
        put(span, FLOW, exchange.getProperty(FlowContext.FLOW, String.class));
        put(span, FLOW_VERSION, exchange.getProperty(FlowContext.FLOW_VERSION, String.class));
        put(span, STEP, exchange.getProperty(JournaledStep.STEP, String.class));
        // set by the downstream-call-action kamelet for its call
        put(span, SYSTEM, exchange.getProperty(SYSTEM_PROPERTY, String.class));
    }

    static void put(BiConsumer<String, String> span, String key, String value) {
        if (value != null && !value.isEmpty()) {
            span.accept(key, value);
        }
    }

    private static String first(String value, String fallback) {
        return value != null ? value : fallback;
    }
}

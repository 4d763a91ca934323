package io.hookrail.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

/**
 * What every step of a flow run knows, as exchange properties: the flow, the event (also as variable {@code event}),
 * the business id, the run number and the correlation id.
 * <p>
 * Saga participants carry it into their compensations as one saga option, {@value #OPTION}, because a compensation
 * runs later on an exchange of its own.
 */
public final class FlowContext {

    public static final String FLOW = "flow";
    public static final String FLOW_VERSION = "flowVersion";
    public static final String EVENT_ID = "eventId";
    public static final String BUSINESS_ID = "businessId";
    public static final String RUN = "run";
    /** The saga attempt within the run: a saga retried after a compensation starts a fresh attempt. */
    public static final String ATTEMPT = "attempt";
    /** The flow's idempotency key, business id plus operation. */
    public static final String KEY = "flowKey";
    public static final String CORRELATION_ID = "correlationId";
    public static final String EVENT_VARIABLE = "event";
    /** The saga option (a header on the compensation exchange) that carries the context. */
    public static final String OPTION = "hookrailFlowContext";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FlowContext() {
    }

    /** The context as one JSON string, for the saga option. */
    public static String capture(Exchange exchange) {
        ObjectNode context = MAPPER.createObjectNode()
                .put(FLOW, exchange.getProperty(FLOW, String.class))
                .put(FLOW_VERSION, exchange.getProperty(FLOW_VERSION, String.class))
                .put(EVENT_ID, exchange.getProperty(EVENT_ID, String.class))
                .put(BUSINESS_ID, exchange.getProperty(BUSINESS_ID, String.class))
                .put(RUN, exchange.getProperty(RUN, Integer.class))
                .put(ATTEMPT, exchange.getProperty(ATTEMPT, Integer.class))
                .put(CORRELATION_ID, exchange.getProperty(CORRELATION_ID, String.class));
        context.set(EVENT_VARIABLE, exchange.getVariable(EVENT_VARIABLE, JsonNode.class));
        return context.toString();
    }

    /** Restores the context from the saga option on a compensation exchange. */
    public static void restore(Exchange exchange) throws JsonProcessingException {
        JsonNode context = MAPPER.readTree(exchange.getMessage().getHeader(OPTION, String.class));
        exchange.setProperty(FLOW, context.path(FLOW).asText());
        exchange.setProperty(FLOW_VERSION, context.path(FLOW_VERSION).asText());
        exchange.setProperty(EVENT_ID, context.path(EVENT_ID).asText());
        exchange.setProperty(BUSINESS_ID, context.path(BUSINESS_ID).asText());
        exchange.setProperty(RUN, context.path(RUN).asInt(1));
        exchange.setProperty(ATTEMPT, context.path(ATTEMPT).asInt(1));
        exchange.setProperty(CORRELATION_ID, context.path(CORRELATION_ID).asText());
        exchange.setVariable(EVENT_VARIABLE, context.get(EVENT_VARIABLE));
    }
}

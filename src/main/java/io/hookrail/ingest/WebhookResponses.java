package io.hookrail.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes the gateway's HTTP answers: the JSON status bodies of DESIGN section 3 and RFC 9457 problem+json.
 * <p>
 * The request's headers are cleared first, because platform-http echoes message headers as response headers.
 */
public final class WebhookResponses {

    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    static final String PROBLEM_JSON = "application/problem+json";

    private final ObjectMapper mapper;

    public WebhookResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void accepted(Exchange exchange, String eventId) {
        status(exchange, 202, eventId, "accepted");
    }

    public void duplicate(Exchange exchange, String eventId) {
        status(exchange, 200, eventId, "duplicate");
    }

    public void problem(Exchange exchange, WebhookRejection rejection) {
        ObjectNode problem = mapper.createObjectNode()
                .put("type", rejection.problemType())
                .put("title", rejection.title())
                .put("status", rejection.status())
                .put("detail", rejection.detail())
                .put("instance", exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class))
                .put("correlationId", exchange.getProperty(CorrelationIds.PROPERTY, String.class));
        if (!rejection.violations().isEmpty()) {
            ArrayNode errors = problem.putArray("errors");
            rejection.violations().forEach(v -> errors.addObject().put("pointer", v.pointer()).put("detail", v.message()));
        }
        Message message = reset(exchange, rejection.status(), PROBLEM_JSON);
        if (rejection.retryAfterSeconds() != null) {
            message.setHeader("Retry-After", rejection.retryAfterSeconds());
        }
        message.setBody(problem.toString());
    }

    private void status(Exchange exchange, int code, String eventId, String status) {
        reset(exchange, code, "application/json")
                .setBody(mapper.createObjectNode().put("id", eventId).put("status", status).toString());
    }

    private static Message reset(Exchange exchange, int code, String contentType) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setHeader(CORRELATION_HEADER, exchange.getProperty(CorrelationIds.PROPERTY, String.class));
        return message;
    }
}

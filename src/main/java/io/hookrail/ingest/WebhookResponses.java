package io.hookrail.ingest;

import io.hookrail.ops.HttpAnswers;
import org.apache.camel.Exchange;

/** Writes the gateway's answers: the JSON status bodies of DESIGN section 3 and problem+json refusals. */
final class WebhookResponses {

    private WebhookResponses() {
    }

    static void accepted(Exchange exchange, String eventId) {
        status(exchange, 202, eventId, "accepted");
    }

    static void duplicate(Exchange exchange, String eventId) {
        status(exchange, 200, eventId, "duplicate");
    }

    static void problem(Exchange exchange, WebhookRejection rejection) {
        HttpAnswers.problem(exchange, rejection.status(), rejection.problemType(), rejection.title(),
                rejection.detail(), problem -> {
                    if (!rejection.violations().isEmpty()) {
                        var errors = problem.putArray("errors");
                        rejection.violations().forEach(v -> errors.addObject().put("pointer", v.pointer())
                                .put("detail", v.message()));
                    }
                });
        if (rejection.retryAfterSeconds() != null) {
            exchange.getMessage().setHeader("Retry-After", rejection.retryAfterSeconds());
        }
    }

    private static void status(Exchange exchange, int code, String eventId, String status) {
        HttpAnswers.json(exchange, code, JsonMapping.MAPPER.createObjectNode().put("id", eventId).put("status", status)
                .toString());
    }
}

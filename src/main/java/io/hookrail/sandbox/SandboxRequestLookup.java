package io.hookrail.sandbox;

import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code GET /sandbox/{system}/requests/{idempotencyKey}}: whether a call with that key performed its effect, and what
 * it answered, as a real payment API lets a caller that timed out find out instead of guessing. Read-only, and not
 * subject to faults: it is how a caller checks on a faulty system.
 */
final class SandboxRequestLookup {

    /** The route's path, with the platform-http parameters the handler reads. */
    static final String PATH = "/sandbox/{system}/requests/{idempotencyKey}";

    private final Set<String> systems = SandboxOperation.systems();
    private final SandboxIdempotency idempotency;

    SandboxRequestLookup(SandboxIdempotency idempotency) {
        this.idempotency = idempotency;
    }

    void handle(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        // platform-http hands the path parameters over URL-decoded
        String system = message.getHeader("system", String.class);
        String key = message.getHeader("idempotencyKey", String.class);
        if (!systems.contains(system)) {
            throw SandboxRejection.unknownSystem(system);
        }
        if (key == null || key.chars().anyMatch(Character::isISOControl)) {
            // no call was made with such a key (a header cannot carry one), and a NUL would fail PostgreSQL's query
            throw SandboxRejection.requestNotFound(system, key);
        }
        SandboxIdempotency.Stored stored = idempotency.find(system, key)
                .orElseThrow(() -> SandboxRejection.requestNotFound(system, key));
        ObjectNode answer = HttpAnswers.MAPPER.createObjectNode()
                .put("system", system)
                .put("idempotencyKey", key)
                .put("status", stored.response().status());
        answer.set("response", responseBody(stored.response().body()));
        answer.put("at", stored.at().toString());
        HttpAnswers.json(exchange, 200, answer.toString());
    }

    private static JsonNode responseBody(String body) {
        try {
            return HttpAnswers.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            // the sandbox stored the body from a JSON tree it built itself
            throw new IllegalStateException("a stored sandbox response is always JSON", e);
        }
    }
}

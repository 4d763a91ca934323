package io.hookrail.sandbox;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.json.CanonicalJson;
import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.HttpAnswers;
import io.hookrail.probe.Synthetic;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler of every mutating sandbox call, driven by its {@link SandboxOperation}: injected fault first, then
 * the request checks a real API makes, then the effect, exactly once per {@code Idempotency-Key}.
 */
final class SandboxCalls {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    /** The column sizes of the store. */
    static final int MAX_KEY_LENGTH = 300;
    static final int MAX_REFERENCE_LENGTH = 255;

    private static final Logger LOG = LoggerFactory.getLogger(SandboxCalls.class);

    private final SandboxFaults faults;
    private final SandboxIdempotency idempotency;
    private final SandboxLedger ledger;
    private final Clock clock;

    SandboxCalls(SandboxFaults faults, SandboxIdempotency idempotency, SandboxLedger ledger, Clock clock) {
        this.faults = faults;
        this.idempotency = idempotency;
        this.ledger = ledger;
        this.clock = clock;
    }

    void handle(Exchange exchange, SandboxOperation operation) throws Exception {
        String system = operation.system();
        // a system that is down or throttling refuses before it looks at the request, as a real outage or rate
        // limiter does, so a refused call claims no key and its retry with the same key still performs the effect
        faults.inflict(operation);

        Message message = exchange.getMessage();
        String key = idempotencyKey(message);
        JsonNode body = jsonObject(message);
        String reference = reference(body);
        Map<String, String> pathParameters = operation.pathParameters(message);
        ObjectNode response = operation.respond(new SandboxOperation.Call(body, pathParameters));
        String requestHash = requestHash(operation, pathParameters, body);
        // the ledger keeps the caller's id; a made-up one would tie the entry to nothing
        String correlationId = message.getHeader(HttpAnswers.CORRELATION_HEADER) == null ? null
                : exchange.getProperty(CorrelationIds.PROPERTY, String.class);

        SandboxLedger.Entry entry = new SandboxLedger.Entry(system, operation.operation(), reference, key,
                correlationId, clock.instant());
        // a synthetic probe's call is answered as any other, and leaves no effect in the ledger
        boolean synthetic = "true".equalsIgnoreCase(message.getHeader(Synthetic.HEADER, String.class));
        SandboxIdempotency.Outcome outcome = idempotency.once(system, key, requestHash,
                new SandboxIdempotency.Response(operation.successStatus(), response.toString()), entry.at(),
                transaction -> {
                    if (!synthetic) {
                        ledger.append(transaction, entry);
                    }
                });
        switch (outcome.kind()) {
            case PERFORMED -> {
                LOG.info("Sandbox {} performed {} for {} (Idempotency-Key {})", system, operation.operation(),
                        reference, key);
                HttpAnswers.json(exchange, outcome.response().status(), outcome.response().body());
            }
            case REPLAYED -> {
                LOG.info("Sandbox {} replayed {} for {} (Idempotency-Key {})", system, operation.operation(),
                        reference, key);
                HttpAnswers.json(exchange, outcome.response().status(), outcome.response().body())
                        .setHeader(REPLAYED, "true");
            }
            case CONFLICT -> throw SandboxRejection.keyReused(system, key);
        }
    }

    private static String idempotencyKey(Message message) throws SandboxRejection {
        String key = message.getHeader(IDEMPOTENCY_KEY, String.class);
        if (key == null || key.isBlank()) {
            throw SandboxRejection.missingIdempotencyKey();
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw SandboxRejection.invalid("Idempotency-Key must be at most " + MAX_KEY_LENGTH + " characters");
        }
        return key;
    }

    private static JsonNode jsonObject(Message message) throws SandboxRejection {
        byte[] bytes = message.getBody(byte[].class);
        JsonNode body;
        try {
            body = bytes == null || bytes.length == 0 ? null : HttpAnswers.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw SandboxRejection.invalid("The body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw SandboxRejection.invalid("The body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw SandboxRejection.invalid("The body must be a JSON object");
        }
        return body;
    }

    /** The business id the calling flow works on, which the ledger files the effect under. */
    private static String reference(JsonNode body) throws SandboxRejection {
        JsonNode reference = body.get("reference");
        if (reference == null || !reference.isTextual() || reference.asText().isBlank()
                || reference.asText().length() > MAX_REFERENCE_LENGTH
                || reference.asText().chars().anyMatch(Character::isISOControl)) {
            throw SandboxRejection.invalid("reference (the business id of the call, e.g. the orderId) is required, "
                    + "a string of at most " + MAX_REFERENCE_LENGTH + " characters without control characters");
        }
        return reference.asText();
    }

    /**
     * What a repeat must match to be the same request: the operation and its path as well as the body, so one key
     * cannot be replayed against another invoice or endpoint of the same system.
     */
    private static String requestHash(SandboxOperation operation, Map<String, String> pathParameters, JsonNode body) {
        ObjectNode request = HttpAnswers.MAPPER.createObjectNode().put("operation", operation.operation());
        ObjectNode path = request.putObject("path");
        pathParameters.forEach(path::put);
        request.set("body", body);
        return CanonicalJson.sha256(request);
    }
}

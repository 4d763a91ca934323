package io.hookrail.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the sandbox ledger, sets its faults and looks calls up by Idempotency-Key over HTTP, as a test of the whole
 * system would.
 */
public final class SandboxClient {

    /** One side effect in the ledger. */
    public record Effect(String system, String operation, String businessId, String idempotencyKey, String correlationId) {
    }

    /** What the call with an Idempotency-Key answered when it performed its effect, as the sandbox stored it. */
    public record StoredRequest(int status, JsonNode response, Instant at) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;

    public SandboxClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Entries per page the client asks for: the sandbox's largest page. */
    static final int PAGE_SIZE = 500;

    /** The ledger of one business id, or the whole ledger for an empty one, read page by page. */
    public List<Effect> ledger(String businessId) {
        List<Effect> effects = new ArrayList<>();
        String filter = businessId.isEmpty() ? "" : "&businessId=" + URLEncoder.encode(businessId, StandardCharsets.UTF_8);
        for (int page = 0; ; page++) {
            JsonNode answer;
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl
                        + "/sandbox/ledger?size=" + PAGE_SIZE + "&page=" + page + filter)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("the ledger answered " + response.statusCode() + ": " + response.body());
                }
                answer = JSON.readTree(response.body());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the ledger", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted reading the ledger", e);
            }
            JsonNode items = answer.path("items");
            items.forEach(e -> effects.add(new Effect(e.path("system").asText(), e.path("operation").asText(),
                    e.path("businessId").asText(), e.path("idempotencyKey").asText(), e.path("correlationId").asText())));
            if (items.size() < PAGE_SIZE || effects.size() >= answer.path("total").asLong()) {
                return effects;
            }
        }
    }

    /** The operations of the business id's ledger entries, in order. */
    public List<String> operations(String businessId) {
        return ledger(businessId).stream().map(Effect::operation).toList();
    }

    /** Waits (at most 60 s) until the business id's operations satisfy the condition, then returns them. */
    public List<String> awaitOperations(String businessId, Predicate<List<String>> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> operations = operations(businessId);
        while (!done.test(operations) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            operations = operations(businessId);
        }
        return operations;
    }

    public void fault(String system, String mode) {
        fault(system, mode, 2000);
    }

    public void fault(String system, String mode, long delayMs) {
        inject("{\"system\":\"" + system + "\",\"mode\":\"" + mode + "\",\"rate\":1.0,\"delayMs\":" + delayMs
                + "}");
    }

    /** Injects a fault of one operation of the system only, e.g. payments' payment.refund down. */
    public void operationFault(String system, String operation, String mode) {
        inject("{\"system\":\"" + system + "\",\"operation\":\"" + operation + "\",\"mode\":\"" + mode
                + "\",\"rate\":1.0}");
    }

    /** Makes the system answer every mutating call 429 with {@code Retry-After: retryAfterSeconds}. */
    public void throttle(String system, long retryAfterSeconds) {
        inject("{\"system\":\"" + system + "\",\"mode\":\"throttle\",\"rate\":1.0,\"retryAfterSeconds\":"
                + retryAfterSeconds + "}");
    }

    /** Injects a fault given as the JSON body of {@code POST /sandbox/faults}. */
    public void inject(String faultJson) {
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/sandbox/faults"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(faultJson))
                .build());
    }

    /** What the system's call with this Idempotency-Key answered, or empty when none performed its effect. */
    public Optional<StoredRequest> request(String system, String idempotencyKey) {
        try {
            String path = "/sandbox/" + system + "/requests/"
                    + URLEncoder.encode(idempotencyKey, StandardCharsets.UTF_8).replace("+", "%20");
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            // a 404 of an unknown system is the test's mistake, not an answer
            if (response.statusCode() == 404 && response.body().contains("urn:hookrail:problem:request-not-found")) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode found = JSON.readTree(response.body());
            return Optional.of(new StoredRequest(found.path("status").asInt(), found.path("response"),
                    Instant.parse(found.path("at").asText())));
        } catch (IOException e) {
            throw new IllegalStateException("cannot look the request up", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted looking the request up", e);
        }
    }

    public void clearFaults() {
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/sandbox/faults")).DELETE().build());
    }

    private void send(HttpRequest request) {
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                throw new IllegalStateException(request.uri() + " answered " + status);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

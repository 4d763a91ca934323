package io.hookrail.sandbox;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.hookrail.support.HookrailInstance;
import io.hookrail.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sandbox's contract on PostgreSQL, where several instances share one store. */
class SandboxOnPostgresTest extends SandboxScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }

    @Test
    void aFaultInjectedThroughOneInstanceAppliesToCallsTheOtherHandles() throws Exception {
        try (HookrailInstance second = HookrailInstance.builder().database(database).start()) {
            String body = "{\"reference\":\"" + unique("ORD") + "\",\"currency\":\"EUR\",\"amountMinor\":4990}";
            assertEquals(204, fault("{\"system\":\"payments\",\"mode\":\"down\"}").statusCode());
            assertProblem(capture(second, unique("key"), body), 503, "downstream-down");
            assertEquals(JSON.readTree(send("GET", "/sandbox/faults", null, null, null).body()),
                    JSON.readTree(call(second, "GET", "/sandbox/faults").body()));

            // cleared through the other instance: healed on both
            assertEquals(204, call(second, "DELETE", "/sandbox/faults").statusCode());
            assertEquals(201, post("/sandbox/payments/captures", unique("key"), null, body).statusCode());
            assertEquals(201, capture(second, unique("key"), body).statusCode());
        }
    }

    private HttpResponse<String> capture(HookrailInstance instance, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/sandbox/payments/captures"))
                .header("Idempotency-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(HookrailInstance instance, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}

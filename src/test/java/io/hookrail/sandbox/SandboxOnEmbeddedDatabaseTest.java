package io.hookrail.sandbox;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.hookrail.support.HookrailInstance;
import io.hookrail.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sandbox's contract on the embedded defaults: H2 under the data directory. */
class SandboxOnEmbeddedDatabaseTest extends SandboxScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.embeddedDefault();
    }

    @Test
    void aDisabledSandboxHasNoRoutes() throws Exception {
        try (HookrailInstance disabled = HookrailInstance.builder()
                .property("hookrail.sandbox.enabled", "false").start()) {
            HttpResponse<String> ledger = http.send(HttpRequest.newBuilder(URI.create(disabled.baseUrl()
                    + "/sandbox/ledger")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, ledger.statusCode());
            HttpResponse<String> capture = http.send(HttpRequest.newBuilder(URI.create(disabled.baseUrl()
                    + "/sandbox/payments/captures")).header("Idempotency-Key", "k")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reference\":\"ORD-1\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, capture.statusCode());
            assertEquals(0, disabled.camelContext().getRoutes().stream()
                    .filter(route -> route.getRouteId().startsWith("sandbox-")).count());
        }
    }
}

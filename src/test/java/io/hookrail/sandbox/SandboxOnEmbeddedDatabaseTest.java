package io.hookrail.sandbox;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.hookrail.support.Await;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void rowsOlderThanTheRetentionArePurgedOnSchedule() throws Exception {
        try (HookrailInstance shortLived = HookrailInstance.builder()
                .property("hookrail.sandbox.retention", "PT1S")
                .property("hookrail.sandbox.purgeIntervalMillis", "200").start()) {
            SandboxClient sandbox = new SandboxClient(shortLived.baseUrl());
            HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(shortLived.baseUrl()
                    + "/sandbox/crm/notes")).header("Idempotency-Key", "k-retention")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"reference\":\"ORD-RETAIN\",\"subject\":\"s\",\"text\":\"t\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, sent.statusCode(), sent.body());
            assertEquals(1, sandbox.ledger("ORD-RETAIN").size());
            assertTrue(Await.until(() -> sandbox.ledger("ORD-RETAIN").isEmpty()), "purged after the retention");
            assertTrue(sandbox.request("crm", "k-retention").isEmpty(), "the stored response is purged too");
        }
    }

    @Test
    void theSandboxAnswersLoopbackCallersOnly() throws Exception {
        assertTrue(SandboxAccess.isLoopback("127.0.0.1"));
        assertTrue(SandboxAccess.isLoopback("127.10.0.3"));
        assertTrue(SandboxAccess.isLoopback("::1"));
        assertTrue(SandboxAccess.isLoopback("0:0:0:0:0:0:0:1"));
        assertTrue(SandboxAccess.isLoopback("::ffff:127.0.0.1"));
        for (String host : new String[] {null, "", "localhost", "10.0.0.1", "128.0.0.1", "::2", "1127.0.0.1",
                "127.0.0.1.evil.example", "::ffff:10.0.0.1", "0.0.0.0"}) {
            assertFalse(SandboxAccess.isLoopback(host), String.valueOf(host));
        }
        // a call from another address cannot reach a running sandbox: the demo profile, the only one with a sandbox,
        // listens on loopback only (ProfileCheckTest); this check stands behind that rule
    }
}

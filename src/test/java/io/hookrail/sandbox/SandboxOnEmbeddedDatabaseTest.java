package io.hookrail.sandbox;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import io.hookrail.support.Await;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.TestDatabase;
import org.junit.jupiter.api.Assumptions;
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
        // a real call from another address of this machine, when it has one, to a server on every address
        Optional<InetAddress> other = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()
                        && !address.isLinkLocalAddress())
                .findFirst();
        Assumptions.assumeTrue(other.isPresent(), "this machine has no non-loopback IPv4 address");
        try (HookrailInstance everywhere = HookrailInstance.builder().property("camel.server.host", "0.0.0.0").start()) {
            String remote = "http://" + other.get().getHostAddress() + ":" + URI.create(everywhere.baseUrl()).getPort();
            for (String path : new String[] {"/sandbox/ledger", "/sandbox/faults", "/sandbox/crm/requests/k"}) {
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(remote + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(403, refused.statusCode(), path + ": " + refused.body());
                assertTrue(refused.body().contains("urn:hookrail:problem:sandbox-loopback-only"), refused.body());
            }
            for (String path : new String[] {"/sandbox/faults", "/sandbox/crm/notes"}) {
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(remote + path))
                        .header("Content-Type", "application/json").header("Idempotency-Key", "k-remote")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"system\":\"crm\",\"mode\":\"down\","
                                + "\"reference\":\"ORD-REMOTE\",\"subject\":\"s\",\"text\":\"t\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(403, refused.statusCode(), path + ": " + refused.body());
            }
            HttpResponse<String> faults = http.send(HttpRequest.newBuilder(URI.create(everywhere.baseUrl()
                    + "/sandbox/faults")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("[]", faults.body(), "a loopback caller is answered, and no fault was injected");
            assertEquals(0, new SandboxClient(everywhere.baseUrl()).ledger("ORD-REMOTE").size());
        }
    }
}

package io.hookrail.ops.http;

import java.util.UUID;

import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.hookrail.support.GoldenEvents.SHOP_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow clients on the real business listener (idle timeout 1 s, request deadline 2 s): a client that sends half a
 * request and stops, one that trickles its headers a byte at a time faster than the idle timeout, and one that
 * trickles its body (408) are all disconnected, and a normal sender's deliveries are accepted after each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientTest {

    private HookrailInstance hookrail;

    @BeforeAll
    void startHookrail() {
        hookrail = HookrailInstance.builder()
                .property(HttpListenerLimits.IDLE_TIMEOUT, "1")
                .property(HttpListenerLimits.REQUEST_TIMEOUT, "2000")
                .start();
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
    }

    @Test
    void halfARequestIsDisconnectedAfterTheIdleTimeout() throws Exception {
        try (RawHttp client = new RawHttp(hookrail.httpPort())) {
            client.send("POST /webhooks/shop HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl");
            long start = System.nanoTime();
            String answer = client.readUntilClosed(10_000);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertNotNull(answer, "still connected after 10 s");
            assertEquals("", answer, "closed without an answer");
            assertTrue(millis >= 800, "closed after " + millis + " ms, before the 1 s idle timeout");
        }
        assertAccepted();
    }

    @Test
    void headersTrickledFasterThanTheIdleTimeoutAreCutOffAllTheSame() throws Exception {
        try (RawHttp client = new RawHttp(hookrail.httpPort())) {
            String request = "POST /webhooks/shop HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(200);
            long start = System.nanoTime();
            String answer = null;
            for (int i = 0; i < request.length() && answer == null; i++) {
                try {
                    client.send(request.substring(i, i + 1));
                } catch (java.io.IOException closed) {
                    answer = "";
                    break;
                }
                answer = client.readUntilClosed(400); // one byte every 400 ms: never idle for 1 s
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertNotNull(answer, "the trickle went on to its end");
            // Vert.x's idle timeout counts decoded messages, not bytes, so half a header line is idle; the request
            // deadline is there should a client get past it
            assertTrue(millis >= 800 && millis < 8_000, "closed after " + millis + " ms; idle timeout 1 s, deadline 2 s");
        }
        assertAccepted();
    }

    @Test
    void aBodyTrickledPastTheDeadlineIsAnswered408AndDisconnected() throws Exception {
        try (RawHttp client = new RawHttp(hookrail.httpPort())) {
            client.send("POST /webhooks/shop HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{");
            String answer = null;
            for (int i = 0; i < 20 && answer == null; i++) {
                try {
                    client.send(" ");
                } catch (java.io.IOException closed) {
                    break;
                }
                answer = client.readUntilClosed(400);
            }
            assertNotNull(answer, "still connected after the trickle");
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("application/problem+json"), answer);
            assertTrue(answer.contains("\"type\":\"urn:hookrail:problem:request-timeout\""), answer);
        }
        assertAccepted();
    }

    /** The positive marker: a normal sender is unaffected. */
    private void assertAccepted() {
        var response = new WebhookSender(hookrail.baseUrl()).standardWebhooks("shop", SHOP_SECRET,
                "msg_" + UUID.randomUUID(), GoldenEvents.named("shop-order-placed-small.json").body());
        assertEquals(202, response.statusCode(), response.body());
    }
}

package io.hookrail.ops.http;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.hookrail.support.GoldenEvents.SHOP_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connection cap of the business listener (3): a fourth open connection is answered 503 and closed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionCapTest {

    private static final String PROBE = "GET /api/dlq HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    private HookrailInstance hookrail;

    @BeforeAll
    void startHookrail() {
        hookrail = HookrailInstance.builder().property(HttpListenerLimits.MAX_CONNECTIONS, "3").start();
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
    }

    @Test
    void aConnectionAboveTheCapIsAnswered503AndAClosedOneMakesRoomAgain() throws Exception {
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawHttp client = new RawHttp(hookrail.httpPort());
                held.add(client);
                // answered by the admin API (401 without a token): the connection is counted and kept open
                String answer = client.exchange(PROBE);
                assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
            }
            try (RawHttp fourth = new RawHttp(hookrail.httpPort())) {
                String answer = fourth.exchange(PROBE);
                assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
                assertTrue(answer.contains("application/problem+json"), answer);
                assertTrue(answer.contains("\"type\":\"urn:hookrail:problem:too-many-connections\""), answer);
                assertTrue(answer.toLowerCase().contains("retry-after: 1"), answer);
                assertEquals("", fourth.readUntilClosed(5_000), "the refused connection is closed");
            }
            held.remove(0).close();
            // the positive marker: once the closed connection is gone, a sender gets through again
            assertTrue(Await.until(() -> new WebhookSender(hookrail.baseUrl()).standardWebhooks("shop", SHOP_SECRET,
                    "msg_" + UUID.randomUUID(), GoldenEvents.named("shop-order-placed-small.json").body())
                    .statusCode() == 202), "no delivery accepted after a connection closed");
        } finally {
            for (RawHttp client : held) {
                client.close();
            }
        }
    }
}

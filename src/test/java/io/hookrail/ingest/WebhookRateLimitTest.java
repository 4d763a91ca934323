package io.hookrail.ingest;

import java.net.http.HttpResponse;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.GoldenEvents.Golden;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.LogCapture;
import io.hookrail.support.MetricsScrape;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.hookrail.support.GoldenEvents.CRM_SECRET;
import static io.hookrail.support.GoldenEvents.SHOP_SECRET;
import static io.hookrail.support.GoldenEvents.SUPPORT_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-source webhook rate limit over real HTTP: the crm source may send 1 a second with a burst of 2, the others
 * keep the default.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookRateLimitTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HookrailInstance hookrail;
    private WebhookSender sender;

    @BeforeAll
    void startHookrail() {
        hookrail = HookrailInstance.builder()
                .property("hookrail.source.crm.rateLimit.perSecond", "1")
                .property("hookrail.source.crm.rateLimit.burst", "2")
                .property("hookrail.source.payments.rateLimit.perSecond", "1")
                .property("hookrail.source.payments.rateLimit.burst", "2")
                .start();
        sender = new WebhookSender(hookrail.baseUrl());
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
    }

    @Test
    void aSourceOverItsLimitIsRefusedWith429AndRetryAfterWhileOthersAreNot() throws Exception {
        Golden lead = GoldenEvents.named("crm-lead-qualified.json");
        Golden order = GoldenEvents.named("shop-order-placed-small.json");
        Golden refund = GoldenEvents.named("support-refund-small.json");
        // warm the whole path up on another source, so the crm deliveries below follow each other closely
        assertEquals(202, sender.standardWebhooks("shop", SHOP_SECRET, "msg_" + UUID.randomUUID(), order.body())
                .statusCode());

        try (LogCapture log = LogCapture.open()) {
            HttpResponse<String> first = sender.standardWebhooks("crm", CRM_SECRET, "msg_" + UUID.randomUUID(), lead.body());
            HttpResponse<String> second = sender.standardWebhooks("crm", CRM_SECRET, "msg_" + UUID.randomUUID(), lead.body());
            String refusedId = "msg_" + UUID.randomUUID();
            HttpResponse<String> third = sender.standardWebhooks("crm", CRM_SECRET, refusedId, lead.body());
            assertEquals(202, first.statusCode(), first.body());
            assertEquals(202, second.statusCode(), second.body());

            assertEquals(429, third.statusCode(), third.body());
            assertEquals("application/problem+json", third.headers().firstValue("Content-Type").orElse(""));
            assertTrue(third.headers().firstValue("X-Correlation-Id").isPresent(), "no X-Correlation-Id");
            long retryAfter = Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow());
            assertEquals(1, retryAfter, "one token a second: the next one is less than a second away");
            JsonNode problem = JSON.readTree(third.body());
            assertEquals("urn:hookrail:problem:rate-limited", problem.get("type").asText());
            assertEquals(429, problem.get("status").asInt());
            assertEquals("/webhooks/crm", problem.get("instance").asText());
            assertTrue(problem.get("detail").asText().contains("crm"), problem.toString());

            // the others keep their own buckets: neither the default limit of shop nor support is touched
            assertEquals(202, sender.standardWebhooks("shop", SHOP_SECRET, "msg_" + UUID.randomUUID(), order.body())
                    .statusCode());
            assertEquals(202, sender.standardWebhooks("support", SUPPORT_SECRET, "msg_" + UUID.randomUUID(),
                    refund.body()).statusCode());

            // refused before anything was kept: after Retry-After the same delivery is accepted, not a duplicate
            Thread.sleep(retryAfter * 1_000 + 100);
            HttpResponse<String> retried = sender.standardWebhooks("crm", CRM_SECRET, refusedId, lead.body());
            assertEquals(202, retried.statusCode(), retried.body());
            assertEquals(refusedId, JSON.readTree(retried.body()).get("id").asText());

            assertTrue(log.events().stream().anyMatch(e -> e.getLevel().name().equals("WARN")
                    && e.getMessage().getFormattedMessage().contains("'crm' is over its rate limit of 1/s (burst 2)")),
                    "no warning about the refused deliveries");
        }
    }

    @Test
    void aFloodIsRefusedBeforeItsSignatureIsChecked() throws Exception {
        // a source of its own, so this test does not depend on the other's buckets
        byte[] invoice = GoldenEvents.read("payments-invoice-paid.json");
        int accepted = 0;
        int badSignature = 0;
        int limited = 0;
        for (int i = 0; i < 10; i++) {
            // unsigned deliveries to payments (limit 1/s, burst 2): the first ones get 401, the rest 429 without any HMAC
            int status = sender.post("payments", java.util.Map.of(), invoice).statusCode();
            switch (status) {
                case 202 -> accepted++;
                case 401 -> badSignature++;
                case 429 -> limited++;
                default -> throw new AssertionError("unexpected status " + status);
            }
        }
        assertEquals(0, accepted);
        assertTrue(limited >= 5, limited + " of 10 unsigned deliveries were rate limited, " + badSignature + " got 401");
        MetricsScrape metrics = MetricsScrape.of(hookrail.managementUrl());
        assertEquals(limited, metrics.value("hookrail_webhooks_received_total", "source", "payments",
                "outcome", "rate_limited"), 0.0, "rate-limited deliveries are counted");
        assertEquals(badSignature, metrics.value("hookrail_webhooks_received_total", "source", "payments",
                "outcome", "unauthorized"), 0.0);
    }
}

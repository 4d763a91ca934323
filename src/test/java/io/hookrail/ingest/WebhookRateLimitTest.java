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
 * The per-source webhook rate limit over real HTTP: the crm source may send 1 a second with a burst of 2, payments 3
 * and then one every 100 s, the others keep the default. The per-source bucket is charged only for verified
 * deliveries; {@link WebhookClientRateLimitTest} covers the per-address limit checked before the signature.
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
                .property("hookrail.source.payments.rateLimit.perSecond", "0.01")
                .property("hookrail.source.payments.rateLimit.burst", "3")
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

    /**
     * All test traffic comes from 127.0.0.1, so the client address limit stays at its default (far above this test's
     * traffic) and the payments bucket is tiny and refills slowly (one token every 100 s): if unverified deliveries
     * took its tokens, the signed sender after the flood would get 429.
     */
    @Test
    void anUnsignedFloodFromOneAddressDoesNotStarveASignedSender() throws Exception {
        byte[] invoice = GoldenEvents.read("payments-invoice-paid.json");
        JsonNode event = JSON.readTree(invoice);
        MetricsScrape before = MetricsScrape.of(hookrail.managementUrl());
        for (int i = 0; i < 40; i++) {
            // unsigned, or signed with the wrong secret: refused 401, and the source's bucket is not charged
            int status = i % 2 == 0 ? sender.post("payments", java.util.Map.of(), invoice).statusCode()
                    : sender.stripe("payments", SHOP_SECRET, invoice).statusCode();
            assertEquals(401, status, "delivery " + i + " of the flood");
        }
        for (int i = 0; i < 3; i++) {
            byte[] body = JSON.writeValueAsBytes(((com.fasterxml.jackson.databind.node.ObjectNode) event.deepCopy())
                    .put("id", "evt_" + UUID.randomUUID().toString().replace("-", "")));
            HttpResponse<String> signed = sender.stripe("payments", io.hookrail.support.GoldenEvents.PAYMENTS_SECRET, body);
            assertEquals(202, signed.statusCode(), "signed delivery " + i + " after the flood: " + signed.body());
        }
        // the bucket is there and is charged by verified deliveries: the fourth within its burst of 3 is refused
        byte[] fourth = JSON.writeValueAsBytes(((com.fasterxml.jackson.databind.node.ObjectNode) event.deepCopy())
                .put("id", "evt_" + UUID.randomUUID().toString().replace("-", "")));
        HttpResponse<String> refused = sender.stripe("payments", io.hookrail.support.GoldenEvents.PAYMENTS_SECRET, fourth);
        assertEquals(429, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("Source 'payments'"), refused.body());

        MetricsScrape after = MetricsScrape.of(hookrail.managementUrl());
        assertEquals(40, after.value("hookrail_webhooks_received_total", "source", "payments", "outcome", "unauthorized")
                - before.value("hookrail_webhooks_received_total", "source", "payments", "outcome", "unauthorized"), 0.0);
        assertEquals(1, after.value("hookrail_webhooks_received_total", "source", "payments", "outcome", "rate_limited")
                - before.value("hookrail_webhooks_received_total", "source", "payments", "outcome", "rate_limited"), 0.0);
    }
}

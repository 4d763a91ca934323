package io.hookrail.ingest;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.MetricsScrape;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.hookrail.support.GoldenEvents.CRM_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-client-address limit, checked before the signature, over real HTTP. Every test request comes from
 * 127.0.0.1, so this instance gives that address a burst of 5 that refills once every 100 s, and its sources keep
 * their default (large) buckets: what refuses the sixth delivery is the address's bucket, not a source's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookClientRateLimitTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HookrailInstance hookrail;
    private WebhookSender sender;

    @BeforeAll
    void startHookrail() {
        hookrail = HookrailInstance.builder()
                .property("hookrail.ingest.clientRateLimit.perSecond", "0.01")
                .property("hookrail.ingest.clientRateLimit.burst", "5")
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
    void anAddressOverItsLimitIsRefused429BeforeItsSignatureIsCheckedWhateverTheSource() throws Exception {
        byte[] lead = GoldenEvents.read("crm-lead-qualified.json");
        for (int i = 0; i < 5; i++) {
            // unsigned: each costs the address a token and is refused 401 by the signature check
            assertEquals(401, sender.post(i % 2 == 0 ? "crm" : "shop", Map.of(), lead).statusCode());
        }
        // the address's burst is spent: even a correctly signed delivery to another source is refused, without HMAC
        HttpResponse<String> signed = sender.standardWebhooks("crm", CRM_SECRET, "msg_" + UUID.randomUUID(), lead);
        assertEquals(429, signed.statusCode(), signed.body());
        assertEquals("application/problem+json", signed.headers().firstValue("Content-Type").orElse(""));
        long retryAfter = Long.parseLong(signed.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 100, "Retry-After " + retryAfter);
        JsonNode problem = JSON.readTree(signed.body());
        assertEquals("urn:hookrail:problem:rate-limited", problem.get("type").asText());
        assertTrue(problem.get("detail").asText().contains("client address"), problem.toString());
        // an unknown source is refused by the address's bucket too: a flood of garbage paths is as cheap
        assertEquals(429, sender.post("nobody", Map.of(), lead).statusCode());

        MetricsScrape metrics = MetricsScrape.of(hookrail.managementUrl());
        assertEquals(1, metrics.value("hookrail_webhooks_received_total", "source", "crm", "outcome", "rate_limited"),
                0.0);
        assertEquals(1, metrics.value("hookrail_webhooks_received_total", "source", "unknown", "outcome",
                "rate_limited"), 0.0);
    }
}

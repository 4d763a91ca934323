package io.hookrail.ops.timeline;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.ingest.signature.StandardWebhooksScheme;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timeline of an order that the ERP's outage retried and dead-lettered, that an operator replayed and that then
 * completed: every step, in order, by event id and by correlation id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventTimelineTest {

    static final ObjectMapper JSON = new ObjectMapper();

    HookrailInstance hookrail;

    @BeforeAll
    void startHookrail() {
        hookrail = HookrailInstance.builder()
                .property("hookrail.flow.retry.maximumRedeliveries", "1")
                .property("hookrail.flow.retry.initialDelayMillis", "10")
                .start();
    }

    @AfterAll
    void stopHookrail() {
        hookrail.close();
    }

    @Test
    void aRetriedDeadLetteredReplayedAndCompletedOrderShowsEveryStep() throws Exception {
        SandboxClient sandbox = new SandboxClient(hookrail.baseUrl());
        AdminClient operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
        String orderId = "ORD-T-" + UUID.randomUUID();
        String eventId = "msg_" + UUID.randomUUID();
        String correlationId = "cid-" + UUID.randomUUID();

        sandbox.fault("erp", "down");
        String body = new String(GoldenEvents.read("shop-order-placed-small.json"), StandardCharsets.UTF_8)
                .replace("ORD-10001", orderId);
        long timestamp = System.currentTimeMillis() / 1000;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> accepted = new WebhookSender(hookrail.baseUrl()).post("shop", Map.of(
                StandardWebhooksScheme.ID_HEADER, eventId,
                StandardWebhooksScheme.TIMESTAMP_HEADER, String.valueOf(timestamp),
                StandardWebhooksScheme.SIGNATURE_HEADER,
                StandardWebhooksScheme.sign(GoldenEvents.SHOP_SECRET, eventId, timestamp, bytes),
                "X-Correlation-Id", correlationId), bytes);
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertTrue(Await.until(() -> operator.deadLetterEventIds("order-fulfilment").contains(eventId)), "not dead-lettered");
        sandbox.clearFaults();
        operator.post("/api/dlq/replay", "{\"flow\":\"order-fulfilment\"}");
        sandbox.awaitOperations(orderId, ops -> ops.size() >= 3);
        assertTrue(Await.until(() -> kinds(timeline(eventId)).contains("outcome:completed")), "no completed outcome");

        JsonNode steps = timeline(eventId).path("steps");
        List<String> kinds = kinds(timeline(eventId));
        assertEquals(List.of(
                "received:accepted", "published:persisted",
                // the failed call is retried in place: the policy gate does not run again
                "consumed:run 1", "policy:allow", "call:5xx", "retry:attempt 2", "call:5xx",
                "outcome:dead_lettered",
                "replayed:run 2",
                "consumed:run 2", "policy:allow", "call:2xx", "call:2xx", "call:2xx", "outcome:completed"), kinds);
        for (JsonNode step : steps) {
            assertEquals(correlationId, step.path("correlationId").asText(), step.toString());
        }
        JsonNode firstCall = find(steps, "call");
        assertEquals("invoice.create", firstCall.path("step").asText());
        assertEquals("order-fulfilment", firstCall.path("flow").asText());
        assertTrue(firstCall.path("durationMillis").isNumber(), firstCall.toString());
        assertTrue(firstCall.path("detail").asText().startsWith("erp"), firstCall.toString());
        assertTrue(find(steps, "replayed").path("detail").asText().contains("by operator"));

        JsonNode byCorrelation = operator.get("/api/events?correlationId=" + correlationId);
        assertEquals(1, byCorrelation.path("events").size());
        assertEquals(eventId, byCorrelation.path("events").get(0).path("eventId").asText());
        assertEquals(steps.size(), byCorrelation.path("events").get(0).path("steps").size());
    }

    @Test
    void anUnknownEventIs404AndTheTimelineNeedsAToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(hookrail.baseUrl() + "/api/events/nope"))
                .header("Authorization", "Bearer " + AdminClient.VIEWER_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
        assertEquals("urn:hookrail:problem:event-not-found", JSON.readTree(unknown.body()).path("type").asText());
        assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(hookrail.baseUrl() + "/api/events/nope")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> noQuery = http.send(HttpRequest.newBuilder(URI.create(hookrail.baseUrl() + "/api/events"))
                .header("Authorization", "Bearer " + AdminClient.VIEWER_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, noQuery.statusCode());
    }

    JsonNode timeline(String eventId) {
        return new AdminClient(hookrail.baseUrl(), AdminClient.VIEWER_TOKEN).get("/api/events/" + eventId);
    }

    static List<String> kinds(JsonNode timeline) {
        List<String> kinds = new ArrayList<>();
        timeline.path("steps").forEach(step -> kinds.add(step.path("kind").asText() + ":" + step.path("outcome").asText()));
        return kinds;
    }

    static JsonNode find(JsonNode steps, String kind) {
        for (JsonNode step : steps) {
            if (kind.equals(step.path("kind").asText())) {
                return step;
            }
        }
        throw new AssertionError("no " + kind + " in " + steps);
    }

}

package io.hookrail.quality;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.MetricsScrape;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.Timelines;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quarantine end to end (real broker, HTTP and H2), with the data-quality rules of
 * {@code quality/policies-quality.yaml}: a refund needs {@code requestedBy} and an order Hookrail has seen.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuarantineTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> REFUNDED = List.of("payment.refund", "note.add");
    static final List<String> FULFILLED = List.of("invoice.create", "payment.capture", "email.send");
    static final String KNOWN_ORDER = "known:data.orderId";
    static final String REQUESTED_BY = "required:data.requestedBy";

    TestDatabase database;
    HookrailInstance hookrail;
    WebhookSender sender;
    SandboxClient sandbox;
    AdminClient operator;

    @BeforeAll
    void startHookrail() {
        database = TestDatabase.embeddedDefault();
        hookrail = HookrailInstance.builder().database(database)
                .property("hookrail.policy.file", "classpath:quality/policies-quality.yaml").start();
        sender = new WebhookSender(hookrail.baseUrl());
        sandbox = new SandboxClient(hookrail.baseUrl());
        operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
        database.close();
    }

    @Test
    void aRefundOfAnUnknownOrderIsQuarantinedAndRunsOnceWhenReplayedAfterItsOrder() throws Exception {
        String orderId = "ORD-Q-" + UUID.randomUUID();
        String refundId = "RF-Q-" + UUID.randomUUID();
        String refundEvent = sendRefund(refundId, orderId, "agent-7");

        JsonNode quarantined = Timelines.awaitStep(operator, refundEvent, "outcome", "quarantined");
        assertTrue(quarantined.path("detail").asText().contains(KNOWN_ORDER), quarantined.toString());
        assertTrue(quarantined.path("detail").asText().contains(orderId), quarantined.toString());
        JsonNode item = awaitQuarantined(refundEvent, KNOWN_ORDER);
        assertEquals("quarantined", item.path("kind").asText(), item.toString());
        assertEquals(List.of(KNOWN_ORDER), strings(item.path("rules")));
        assertTrue(item.path("error").asText().contains("is no order Hookrail has seen"), item.toString());
        JsonNode detail = operator.get("/api/quarantine/" + item.path("id").asText());
        assertEquals("QUARANTINE.refund", detail.path("queue").asText(), detail.toString());
        assertEquals("Consumer.refund.VirtualTopic.refund.requested", detail.path("originQueue").asText());
        assertFalse(operator.deadLetterEventIds("refund").contains(refundEvent), "a quarantined event is no dead letter");
        assertEquals(0, operator.get("/api/quarantine?flow=refund&rule=" + REQUESTED_BY).path("items").findValues("eventId")
                .stream().filter(id -> id.asText().equals(refundEvent)).count());
        assertEquals(1.0, MetricsScrape.of(hookrail.managementUrl()).value("hookrail_quarantined_total",
                "flow", "refund", "rule", KNOWN_ORDER), 0.0);
        JsonNode report = operator.get("/api/reconciliation");
        assertTrue(report.path("flows").path("refund").path("quarantined").asInt() >= 1, report.toString());

        // the order arrives and is fulfilled; the refund stays where it is until replayed
        sendOrder(orderId);
        assertEquals(FULFILLED, sandbox.awaitOperations(orderId, ops -> ops.size() >= 3));
        assertEquals(List.of(), sandbox.operations(refundId), "a quarantined refund called a downstream system");

        HttpResponse<String> replayed = operator.postRaw("/api/quarantine/" + item.path("id").asText() + "/replay", "");
        assertEquals(200, replayed.statusCode(), replayed.body());
        assertEquals(refundEvent, JSON.readTree(replayed.body()).path("eventId").asText());
        assertEquals(REFUNDED, sandbox.awaitOperations(refundId, ops -> ops.size() >= 2));
        Timelines.awaitStep(operator, refundEvent, "outcome", "completed");

        HttpResponse<String> again = operator.postRaw("/api/quarantine/" + item.path("id").asText() + "/replay", "");
        assertEquals(404, again.statusCode(), again.body());
        assertTrue(again.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(again.body().contains("quarantined-event-not-found"), again.body());
        JsonNode audit = operator.get("/api/audit?action=quarantine.replay&subject=refund/" + refundEvent);
        assertEquals(1, audit.path("total").asInt(), audit.toString());

        // nothing more follows: a second refund of the order, sent after, runs, and the first stays at one refund
        String marker = "RF-Q-" + UUID.randomUUID();
        sendRefund(marker, orderId, "agent-7");
        assertEquals(REFUNDED, sandbox.awaitOperations(marker, ops -> ops.size() >= 2));
        assertEquals(REFUNDED, sandbox.operations(refundId));
        assertEquals(2, sandbox.ledger(refundId).size(), sandbox.ledger(refundId).toString());
    }

    @Test
    void aRefundWithoutItsMandatoryRequesterIsQuarantinedByItsRuleAndComesBackWhenReplayedUnchanged()
            throws Exception {
        String orderId = "ORD-Q-" + UUID.randomUUID();
        sendOrder(orderId);
        assertEquals(FULFILLED, sandbox.awaitOperations(orderId, ops -> ops.size() >= 3));
        String refundId = "RF-Q-" + UUID.randomUUID();
        String refundEvent = sendRefund(refundId, orderId, null);

        JsonNode first = awaitQuarantined(refundEvent, REQUESTED_BY);
        assertEquals(List.of(REQUESTED_BY), strings(first.path("rules")), first.toString());
        assertTrue(first.path("error").asText().contains("data.requestedBy is missing or blank"), first.toString());

        // a bulk replay of the rule: the rules are checked again, it still fails, and it is back under a new id
        JsonNode bulk = operator.post("/api/quarantine/replay",
                "{\"flow\": \"refund\", \"rule\": \"" + REQUESTED_BY + "\"}");
        assertTrue(strings(bulk.path("ids")).contains(first.path("id").asText()), bulk.toString());
        assertTrue(Await.until(() -> quarantinedItem(refundEvent, REQUESTED_BY)
                .filter(item -> !item.path("id").asText().equals(first.path("id").asText())).isPresent()));
        JsonNode second = quarantinedItem(refundEvent, REQUESTED_BY).orElseThrow();
        assertNotEquals(first.path("id").asText(), second.path("id").asText());
        assertEquals(2, second.path("run").asInt(), second.toString());
        assertEquals(2L, Timelines.steps(operator, refundEvent).stream()
                .filter(step -> "quarantined".equals(step.path("outcome").asText())).count());
        assertEquals(List.of(), sandbox.operations(refundId));
    }

    private String sendRefund(String refundId, String orderId, String requestedBy) throws Exception {
        ObjectNode refund = (ObjectNode) JSON.readTree(GoldenEvents.read("support-refund-small.json"));
        ObjectNode data = (ObjectNode) refund.get("data");
        data.put("refundId", refundId).put("orderId", orderId).put("amountMinor", 100);
        if (requestedBy != null) {
            data.put("requestedBy", requestedBy);
        }
        String eventId = "msg_" + UUID.randomUUID();
        assertEquals(202, sender.standardWebhooks("support", GoldenEvents.SUPPORT_SECRET, eventId,
                JSON.writeValueAsString(refund).getBytes(StandardCharsets.UTF_8)).statusCode(), refundId);
        return eventId;
    }

    private void sendOrder(String orderId) {
        assertEquals(202, sender.standardWebhooks("shop", GoldenEvents.SHOP_SECRET, "msg_" + UUID.randomUUID(),
                GoldenEvents.withField("shop-order-placed-small.json", "orderId", orderId)).statusCode(), orderId);
    }

    private JsonNode awaitQuarantined(String eventId, String rule) throws InterruptedException {
        assertTrue(Await.until(() -> quarantinedItem(eventId, rule).isPresent()), "not quarantined: " + eventId);
        return quarantinedItem(eventId, rule).orElseThrow();
    }

    private Optional<JsonNode> quarantinedItem(String eventId, String rule) {
        for (JsonNode item : operator.get("/api/quarantine?flow=refund&size=500&rule=" + rule).path("items")) {
            if (eventId.equals(item.path("eventId").asText())) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }

    private static List<String> strings(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}

package io.hookrail.flow;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.support.AdminClient;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.GoldenEvents.Golden;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.Timelines;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.hookrail.support.GoldenEvents.SHOP_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flows end to end: signed webhooks in, side effects in the sandbox ledger out, over real HTTP, a real broker
 * and a real database; each subclass picks the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FlowScenarios {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FULFILLED = List.of("invoice.create", "payment.capture", "email.send");

    TestDatabase database;
    HookrailInstance hookrail;
    WebhookSender sender;
    SandboxClient sandbox;

    abstract TestDatabase database();

    @BeforeAll
    void startHookrail() {
        database = database();
        hookrail = HookrailInstance.builder()
                .database(database)
                // fast retries: two attempts 100 ms apart
                .property("hookrail.flow.retry.maximumRedeliveries", "1")
                .property("hookrail.flow.retry.initialDelayMillis", "100")
                .start();
        sender = new WebhookSender(hookrail.baseUrl());
        sandbox = new SandboxClient(hookrail.baseUrl());
    }

    @AfterEach
    void clearFaults() {
        sandbox.clearFaults();
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
        database.close();
    }

    @Test
    void everyGoldenEventRunsToTheEndWithEachSideEffectOnce() throws Exception {
        for (Golden golden : GoldenEvents.ALL) {
            int status = golden.isStripe()
                    ? sender.stripe(golden.source(), golden.secret(), golden.body()).statusCode()
                    : sender.standardWebhooks(golden.source(), golden.secret(), "msg_" + UUID.randomUUID(), golden.body())
                    .statusCode();
            assertEquals(202, status, golden.toString());
        }
        Map<String, List<String>> expected = Map.of(
                "ORD-10001", FULFILLED,
                "ORD-10003", FULFILLED,
                "INV-2026-0042", List.of("invoice.markPaid", "note.add"),
                "LEAD-3141", List.of("contact.upsert", "email.send"),
                "RF-501", List.of("payment.refund", "note.add"));
        for (Map.Entry<String, List<String>> entry : expected.entrySet()) {
            assertEquals(entry.getValue(), sandbox.awaitOperations(entry.getKey(), ops -> ops.size() >= entry.getValue().size()),
                    entry.getKey());
        }
        // nothing more may follow: an order sent after them is fulfilled first
        String marker = sendOrder("msg_" + UUID.randomUUID(), null);
        sandbox.awaitOperations(marker, ops -> ops.contains("email.send"));
        expected.forEach((businessId, operations) -> assertEquals(operations, sandbox.operations(businessId), businessId));
        // the large order and the large refund wait for an approver (see ApprovalScenarios) and do nothing meanwhile
        assertEquals(List.of(), sandbox.operations("ORD-10002"));
        assertEquals(List.of(), sandbox.operations("RF-502"));
    }

    @Test
    void paymentDownBeyondTheStepsRetriesCreatesAndCancelsOneInvoice() throws Exception {
        AdminClient operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
        sandbox.fault("payments", "down");
        String eventId = "msg_" + UUID.randomUUID();
        String orderId = sendOrder(eventId, null);
        assertTrue(await(() -> operator.deadLetterEventIds("order-fulfilment").contains(eventId)), "not dead-lettered");
        // the capture was retried in place; the saga was compensated once, before the dead letter
        assertEquals(List.of("invoice.create", "invoice.cancel"), sandbox.operations(orderId));
    }

    @Test
    void emailDownBeyondTheStepsRetriesCompensatesOnceInReverseOrder() throws Exception {
        AdminClient operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
        sandbox.fault("email", "down");
        String eventId = "msg_" + UUID.randomUUID();
        String orderId = sendOrder(eventId, null);
        assertTrue(await(() -> operator.deadLetterEventIds("order-fulfilment").contains(eventId)), "not dead-lettered");
        assertEquals(List.of("invoice.create", "payment.capture", "payment.refund", "invoice.cancel"),
                sandbox.operations(orderId));
    }

    @Test
    void theSameOrderUnderTwoEventIdsIsFulfilledOnce() throws Exception {
        AdminClient viewer = new AdminClient(hookrail.baseUrl(), AdminClient.VIEWER_TOKEN);
        String first = "msg_" + UUID.randomUUID();
        String second = "msg_" + UUID.randomUUID();
        String orderId = sendOrder(first, null);
        sendOrder(second, orderId);
        assertEquals(FULFILLED, sandbox.awaitOperations(orderId, ops -> ops.size() >= 3));
        // one of the two ran, the other was skipped as a duplicate of its business key: both runs are over
        Timelines.awaitStep(viewer, first, "outcome", any -> true);
        Timelines.awaitStep(viewer, second, "outcome", any -> true);
        assertEquals(FULFILLED, sandbox.operations(orderId));
    }

    @Test
    void ordersDeadLetteredDuringAnErpOutageAreFulfilledOnceByBulkReplay() throws Exception {
        AdminClient operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
        sandbox.fault("erp", "down");
        Map<String, String> orders = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            String eventId = "msg_" + UUID.randomUUID();
            orders.put(eventId, sendOrder(eventId, null));
        }
        assertTrue(await(() -> operator.deadLetterEventIds("order-fulfilment").containsAll(orders.keySet())),
                "orders not dead-lettered");
        orders.values().forEach(orderId -> assertEquals(List.of(), sandbox.operations(orderId), orderId));

        sandbox.clearFaults();
        JsonNode replay = operator.post("/api/dlq/replay", "{\"flow\":\"order-fulfilment\",\"error\":\"503\"}");
        assertTrue(replay.path("replayed").asInt() >= orders.size(), replay.toString());
        for (String orderId : orders.values()) {
            assertEquals(FULFILLED, sandbox.awaitOperations(orderId, ops -> ops.size() >= 3), orderId);
        }
        assertTrue(java.util.Collections.disjoint(operator.deadLetterEventIds("order-fulfilment"), orders.keySet()));
    }

    @Test
    void replayOfAFailedDeliveryAfterTheOrderWasFulfilledDoesNothing() throws Exception {
        AdminClient operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
        sandbox.fault("email", "down");
        String failedEvent = "msg_" + UUID.randomUUID();
        String orderId = sendOrder(failedEvent, null);
        assertTrue(await(() -> operator.deadLetterEventIds("order-fulfilment").contains(failedEvent)));
        sandbox.clearFaults();

        // the sender re-keys its retry: a new event id for the same order
        sendOrder("msg_" + UUID.randomUUID(), orderId);
        sandbox.awaitOperations(orderId, ops -> ops.contains("email.send"));
        List<String> fulfilled = sandbox.operations(orderId);

        String letterId = StreamSupport.stream(operator.get("/api/dlq?flow=order-fulfilment&size=500").path("items")
                        .spliterator(), false)
                .filter(item -> failedEvent.equals(item.path("eventId").asText()))
                .findFirst().orElseThrow().path("id").asText();
        operator.post("/api/dlq/" + letterId + "/replay", "");
        assertTrue(await(() -> !operator.deadLetterEventIds("order-fulfilment").contains(failedEvent)));
        // the replayed run ends as a duplicate of the fulfilled business key
        Timelines.awaitStep(operator, failedEvent, "outcome", "duplicate");
        assertEquals(fulfilled, sandbox.operations(orderId), "the replay had an effect");
        assertEquals(1, fulfilled.stream().filter("email.send"::equals).count());
    }

    @Test
    void poisonMessageIsDeadLetteredAtOnceWithoutRetries() throws Exception {
        AdminClient operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
        String eventId = "poison-" + UUID.randomUUID();
        try (var connection = new org.apache.activemq.ActiveMQConnectionFactory(hookrail.brokerUrl()).createConnection()) {
            var session = connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            var message = session.createTextMessage("this is not a CloudEvent");
            message.setStringProperty("eventId", eventId);
            message.setStringProperty("eventType", "invoice.paid");
            session.createProducer(session.createQueue("Consumer.invoice-paid.VirtualTopic.invoice.paid")).send(message);
        }
        assertTrue(await(() -> operator.deadLetterEventIds("invoice-paid").contains(eventId)));
        JsonNode letter = deadLetter(operator, "invoice-paid", eventId);
        assertTrue(letter.path("poison").asBoolean(), letter.toString());
        assertEquals(1, letter.path("attempts").asInt(), letter.toString());
        assertEquals(PoisonEventException.class.getName(), letter.path("exception").asText());
    }

    @Test
    void compensationThatKeepsFailingIsDeadLetteredAsSuch() throws Exception {
        AdminClient operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
        sandbox.fault("payments", "slow", 1_500);
        sandbox.fault("email", "down");
        String eventId = "msg_" + UUID.randomUUID();
        String orderId = sendOrder(eventId, null);
        sandbox.awaitOperations(orderId, ops -> ops.contains("invoice.create"));
        // the ERP goes down while the payment is captured: the email fails, the refund works, the cancel cannot
        sandbox.fault("erp", "down");
        assertTrue(await(() -> StreamSupport.stream(operator.get("/api/dlq?flow=order-fulfilment&size=500").path("items")
                .spliterator(), false).anyMatch(item -> eventId.equals(item.path("eventId").asText())
                && item.path("failedCompensation").asBoolean())), "no failed compensation dead-lettered");
        assertEquals(List.of("invoice.create", "payment.capture", "payment.refund"), sandbox.operations(orderId));
    }

    static JsonNode deadLetter(AdminClient operator, String flow, String eventId) {
        return operator.deadLetter(flow, eventId).orElseThrow();
    }

    /** Polls the condition for at most 60 s. */
    static boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    /** Sends the small golden order under a new order id (or the given one) and returns the order id. */
    String sendOrder(String eventId, String orderId) throws Exception {
        ObjectNode order = (ObjectNode) JSON.readTree(GoldenEvents.read("shop-order-placed-small.json"));
        String id = orderId != null ? orderId : "ORD-" + UUID.randomUUID();
        ((ObjectNode) order.get("data")).put("orderId", id);
        int status = sender.standardWebhooks("shop", SHOP_SECRET, eventId,
                JSON.writeValueAsString(order).getBytes(StandardCharsets.UTF_8)).statusCode();
        assertEquals(202, status);
        return id;
    }
}

package io.hookrail.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
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

import static io.hookrail.support.GoldenEvents.CRM_SECRET;
import static io.hookrail.support.GoldenEvents.PAYMENTS_SECRET;
import static io.hookrail.support.GoldenEvents.SHOP_SECRET;
import static io.hookrail.support.GoldenEvents.SUPPORT_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly once in effect, for every way a step can be repeated (ADR 6): each case sets the repetition up with the
 * sandbox's own faults and asserts the exact ledger of the business id. Each subclass picks the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExactlyOnceScenarios {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FULFILLED = List.of("invoice.create", "payment.capture", "email.send");
    static final String ORDER_FLOW = "order-fulfilment";

    TestDatabase database;
    HookrailInstance hookrail;
    WebhookSender sender;
    SandboxClient sandbox;
    AdminClient operator;

    abstract TestDatabase database();

    @BeforeAll
    void startHookrail() {
        database = database();
        hookrail = HookrailInstance.builder()
                .database(database)
                // four tries of a step, 300 ms, 600 ms and 1.2 s apart; calls time out after 1.5 s
                .property("hookrail.flow.retry.maximumRedeliveries", "3")
                .property("hookrail.flow.retry.initialDelayMillis", "300")
                .property("hookrail.flow.retry.maximumDelayMillis", "5000")
                .property("camel.component.http.responseTimeout", "1500")
                // the breakers stay closed here, so each case sees its own faults only (CircuitBreakerTest has them)
                .property("hookrail.circuitBreaker.minimumNumberOfCalls", "1000")
                .start();
        sender = new WebhookSender(hookrail.baseUrl());
        sandbox = new SandboxClient(hookrail.baseUrl());
        operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
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
    void paymentsSlowerThanTheTimeoutThenBackCaptureOnceUnderOneKey() throws Exception {
        sandbox.fault("payments", "slow", 2_500);
        String eventId = "msg_" + UUID.randomUUID();
        String orderId = sendOrder(eventId, null);
        // the first capture timed out on Hookrail's side, then took effect in the sandbox
        sandbox.awaitOperations(orderId, ops -> ops.contains("payment.capture"));
        sandbox.clearFaults();

        assertEquals(FULFILLED, sandbox.awaitOperations(orderId, ops -> ops.contains("email.send")));
        assertEquals(1, count(orderId, "payment.capture"));
        assertTrue(sandbox.request("payments", key(orderId, "payment.capture", 1)).isPresent(),
                "the capture was not made under the step's one key");
        assertTrue(Timelines.steps(operator, eventId).stream().filter(step -> "retry".equals(step.path("kind").asText()))
                .count() >= 1, "the capture was never retried");
    }

    @Test
    void paymentsDownBeyondTheStepsRetriesCreateAndCancelOneInvoice() throws Exception {
        sandbox.fault("payments", "down");
        String eventId = "msg_" + UUID.randomUUID();
        String orderId = sendOrder(eventId, null);
        JsonNode letter = awaitDeadLetter(ORDER_FLOW, eventId);
        assertEquals(List.of("invoice.create", "invoice.cancel"), sandbox.operations(orderId));
        assertEquals("failed-run", letter.path("kind").asText(), letter.toString());
        // the dead letter's timeline entry comes after every call of the run
        Timelines.awaitStep(operator, eventId, "outcome", "dead_lettered");
        assertEquals(4, countCalls(eventId, "payment.capture"), "the capture's tries");
        assertEquals(1, countCalls(eventId, "invoice.create"), "the invoice was created again");
    }

    @Test
    void emailDownThenBackCapturesOnceAndNeverRefunds() throws Exception {
        sandbox.fault("email", "down");
        String eventId = "msg_" + UUID.randomUUID();
        String orderId = sendOrder(eventId, null);
        Timelines.awaitStep(operator, eventId, "retry", any -> true);
        sandbox.clearFaults();

        assertEquals(FULFILLED, sandbox.awaitOperations(orderId, ops -> ops.contains("email.send")));
        Timelines.awaitStep(operator, eventId, "outcome", "completed");
        assertEquals(FULFILLED, sandbox.operations(orderId));
    }

    @Test
    void refundWithTheCrmDownUntilDeadLetteredThenReplayedRefundsOnce() throws Exception {
        sandbox.fault("crm", "down");
        String refundId = "RF-" + UUID.randomUUID();
        assertReplayResumesAtTheStepNotDone("refund", refundId, sendRefund(refundId), "payment.refund", "note.add");
    }

    @Test
    void invoicePaidWithTheCrmDownUntilDeadLetteredThenReplayedIsMarkedPaidOnce() throws Exception {
        sandbox.fault("crm", "down");
        String invoiceId = "INV-" + UUID.randomUUID();
        assertReplayResumesAtTheStepNotDone("invoice-paid", invoiceId, sendInvoicePaid(invoiceId), "invoice.markPaid",
                "note.add");
    }

    @Test
    void leadQualifiedWithEmailDownUntilDeadLetteredThenReplayedSendsOneEmail() throws Exception {
        sandbox.fault("email", "down");
        String leadId = "LEAD-" + UUID.randomUUID();
        assertReplayResumesAtTheStepNotDone("lead-qualified", leadId, sendLead(leadId), "contact.upsert", "email.send");
    }

    /**
     * The event's second step is down until the run is dead-lettered with its first step done; once the system is
     * back, a bulk replay of the flow does the second step only.
     */
    void assertReplayResumesAtTheStepNotDone(String flow, String businessId, String eventId, String first,
                                             String second) throws Exception {
        JsonNode letter = awaitDeadLetter(flow, eventId);
        assertEquals(List.of(first), sandbox.operations(businessId));
        assertEquals(List.of(first), JSON.convertValue(letter.path("stepsDone"), List.class), letter.toString());
        sandbox.clearFaults();

        replayFlowInBulk(flow);
        Timelines.awaitStep(operator, eventId, "outcome", "completed");
        assertEquals(List.of(first, second), sandbox.operations(businessId));
    }

    @Test
    void captureSlowerThanTheTimeoutBeyondItsRetriesIsRefundedByAReplayedCompensationWithoutANewSaga() throws Exception {
        sandbox.fault("payments", "slow", 2_500);
        String eventId = "msg_" + UUID.randomUUID();
        String orderId = sendOrder(eventId, null);
        // the capture gave up with its outcome unknown; resolving it timed out too: a failed compensation
        JsonNode letter = awaitDeadLetter(ORDER_FLOW, eventId);
        assertEquals("failed-compensation", letter.path("kind").asText(), letter.toString());
        sandbox.awaitOperations(orderId, ops -> ops.contains("payment.capture"));
        assertEquals(List.of("invoice.create", "payment.capture"), sandbox.operations(orderId),
                "the capture stands until the compensation is finished");
        sandbox.clearFaults();

        operator.post("/api/dlq/" + letter.path("id").asText() + "/replay", "");
        Timelines.awaitStep(operator, eventId, "outcome", "compensated");
        // the capture that happened after the timeout is refunded, the invoice cancelled, and no new saga ran
        assertEquals(List.of("invoice.create", "payment.capture", "payment.refund", "invoice.cancel"),
                sandbox.operations(orderId));
        assertFalse(operator.deadLetterEventIds(ORDER_FLOW).contains(eventId), "the replayed compensation was dead-lettered again");
    }

    @Test
    void aRefundThatFailsDuringCompensationIsFinishedByItsReplayAlone() throws Exception {
        sandbox.fault("email", "down");
        sandbox.operationFault("payments", "payment.refund", "down");
        String eventId = "msg_" + UUID.randomUUID();
        String orderId = sendOrder(eventId, null);
        JsonNode letter = awaitDeadLetter(ORDER_FLOW, eventId);
        assertEquals("failed-compensation", letter.path("kind").asText(), letter.toString());
        assertEquals(List.of("invoice.create", "payment.capture"), sandbox.operations(orderId));
        sandbox.clearFaults();

        operator.post("/api/dlq/" + letter.path("id").asText() + "/replay", "");
        Timelines.awaitStep(operator, eventId, "outcome", "compensated");
        assertEquals(List.of("invoice.create", "payment.capture", "payment.refund", "invoice.cancel"),
                sandbox.operations(orderId));
        assertEquals(1, countCalls(eventId, "invoice.create"), "a new saga ran");
    }

    @Test
    void aThrottledCallIsTriedAgainNoSoonerThanItsRetryAfter() throws Exception {
        sandbox.throttle("payments", 2);
        String eventId = "msg_" + UUID.randomUUID();
        String orderId = sendOrder(eventId, null);
        JsonNode throttled = Timelines.awaitStep(operator, eventId, "call", "4xx");
        sandbox.clearFaults();

        assertEquals(FULFILLED, sandbox.awaitOperations(orderId, ops -> ops.contains("email.send")));
        Instant capturedAt = sandbox.request("payments", key(orderId, "payment.capture", 1)).orElseThrow().at();
        Instant throttledAt = Instant.parse(throttled.path("at").asText());
        assertTrue(Duration.between(throttledAt, capturedAt).toMillis() >= 2_000,
                "tried again " + Duration.between(throttledAt, capturedAt).toMillis() + " ms after a Retry-After of 2 s");
    }

    @Test
    void aSecondCopyOfAnOrderAfterItsFirstWasDeadLetteredStartsAFreshAttemptWithFreshKeys() throws Exception {
        sandbox.fault("email", "down");
        String first = "msg_" + UUID.randomUUID();
        String orderId = sendOrder(first, null);
        awaitDeadLetter(ORDER_FLOW, first);
        List<String> compensated = List.of("invoice.create", "payment.capture", "payment.refund", "invoice.cancel");
        assertEquals(compensated, sandbox.operations(orderId));
        sandbox.clearFaults();

        // the shop re-sends the order under a new event id
        String second = "msg_" + UUID.randomUUID();
        sendOrder(second, orderId);
        Timelines.awaitStep(operator, second, "outcome", "completed");
        List<SandboxClient.Effect> ledger = sandbox.ledger(orderId);
        assertEquals(List.of("invoice.create", "payment.capture", "payment.refund", "invoice.cancel",
                "invoice.create", "payment.capture", "email.send"), ledger.stream().map(SandboxClient.Effect::operation).toList());
        // none of the second attempt's calls was answered from a compensated key
        assertEquals(List.of(key(orderId, "invoice.create", 2), key(orderId, "payment.capture", 2),
                key(orderId, "email.send", 2)), ledger.subList(4, 7).stream().map(SandboxClient.Effect::idempotencyKey).toList());
    }

    @Test
    void aSecondCopyOfARefundAfterItsFirstWasDeadLetteredRepeatsNoEffect() throws Exception {
        sandbox.fault("crm", "down");
        String refundId = "RF-" + UUID.randomUUID();
        String first = sendRefund(refundId);
        awaitDeadLetter("refund", first);
        assertEquals(List.of("payment.refund"), sandbox.operations(refundId));
        sandbox.clearFaults();

        String second = sendRefund(refundId);
        Timelines.awaitStep(operator, second, "outcome", "completed");
        assertEquals(List.of("payment.refund", "note.add"), sandbox.operations(refundId));
        assertEquals(List.of("refund:" + refundId + ":payment.refund:1", "refund:" + refundId + ":note.add:1"),
                sandbox.ledger(refundId).stream().map(SandboxClient.Effect::idempotencyKey).toList());
    }

    // ---------------------------------------------------------------- helpers

    static String key(String businessId, String step, int attempt) {
        return ORDER_FLOW + ":" + businessId + ":" + step + ":" + attempt;
    }

    long count(String businessId, String operation) {
        return sandbox.operations(businessId).stream().filter(operation::equals).count();
    }

    /** How many calls of the step the event's timeline shows. */
    long countCalls(String eventId, String step) {
        return Timelines.steps(operator, eventId).stream()
                .filter(entry -> "call".equals(entry.path("kind").asText()) && step.equals(entry.path("step").asText()))
                .count();
    }

    JsonNode awaitDeadLetter(String flow, String eventId) throws InterruptedException {
        assertTrue(Await.until(() -> operator.deadLetter(flow, eventId).isPresent()), eventId + " was not dead-lettered");
        return operator.deadLetter(flow, eventId).orElseThrow();
    }

    void replayFlowInBulk(String flow) {
        JsonNode replay = operator.post("/api/dlq/replay", "{\"flow\":\"" + flow + "\"}");
        assertTrue(replay.path("replayed").asInt() >= 1, replay.toString());
    }

    /** Sends the small golden order under a new order id (or the given one) and returns the order id. */
    String sendOrder(String eventId, String orderId) {
        String id = orderId != null ? orderId : "ORD-" + UUID.randomUUID();
        assertEquals(202, sender.standardWebhooks("shop", SHOP_SECRET, eventId,
                GoldenEvents.withField("shop-order-placed-small.json", "orderId", id)).statusCode());
        return id;
    }

    /** Sends the small golden refund under the refund id; returns its event id. */
    String sendRefund(String refundId) {
        String eventId = "msg_" + UUID.randomUUID();
        assertEquals(202, sender.standardWebhooks("support", SUPPORT_SECRET, eventId,
                GoldenEvents.withField("support-refund-small.json", "refundId", refundId)).statusCode());
        return eventId;
    }

    /** Sends the golden invoice payment (Stripe) for the invoice under a new event id; returns the event id. */
    String sendInvoicePaid(String invoiceId) throws Exception {
        ObjectNode paid = (ObjectNode) JSON.readTree(
                GoldenEvents.withField("payments-invoice-paid.json", "invoiceId", invoiceId));
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        paid.put("id", eventId);
        assertEquals(202, sender.stripe("payments", PAYMENTS_SECRET, JSON.writeValueAsBytes(paid)).statusCode());
        return eventId;
    }

    /** Sends the golden qualified lead under the lead id; returns its event id. */
    String sendLead(String leadId) {
        String eventId = "msg_" + UUID.randomUUID();
        assertEquals(202, sender.standardWebhooks("crm", CRM_SECRET, eventId,
                GoldenEvents.withField("crm-lead-qualified.json", "leadId", leadId)).statusCode());
        return eventId;
    }
}

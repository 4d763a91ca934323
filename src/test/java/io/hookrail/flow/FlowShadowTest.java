package io.hookrail.flow;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.MetricsScrape;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.Timelines;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.hookrail.support.GoldenEvents.SHOP_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shadow version (ADR 11): version 2 of order-fulfilment (test resource canary/, which also calls contact.upsert)
 * runs on copies of version 1's live runs against the sandbox only, and the parity report names the one call that
 * differs.
 */
class FlowShadowTest {

    static final String FLOW = "order-fulfilment";
    static final int ORDERS = 20;

    HookrailInstance hookrail;
    WebhookSender sender;
    SandboxClient sandbox;
    AdminClient operator;

    @BeforeEach
    void start() {
        hookrail = HookrailInstance.builder()
                .property("camel.main.routesIncludePattern",
                        "classpath:routes/*.camel.yaml,classpath:canary/order-fulfilment-v2.camel.yaml")
                .property("hookrail.flow." + FLOW + ".candidate.version", "2")
                .property("hookrail.flow." + FLOW + ".candidate.mode", "shadow")
                .property("hookrail.flow.retry.maximumRedeliveries", "1")
                .property("hookrail.flow.retry.initialDelayMillis", "50")
                // a breaker that would open after five failures of ten calls
                .property("hookrail.circuitBreaker.minimumNumberOfCalls", "10")
                .property("hookrail.circuitBreaker.slidingWindowSize", "10")
                .start();
        sender = new WebhookSender(hookrail.baseUrl());
        sandbox = new SandboxClient(hookrail.baseUrl());
        operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
    }

    @AfterEach
    void stop() {
        hookrail.close();
    }

    @Test
    void theShadowRunsOnCopiesAgainstTheSandboxAndTheParityReportListsTheOneCallThatDiffers() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String firstEvent = null;
        for (int i = 0; i < ORDERS; i++) {
            String eventId = sendOrder("ORD-S-" + run + "-" + i);
            firstEvent = firstEvent == null ? eventId : firstEvent;
        }
        assertTrue(Await.until(() -> parity().path("compared").asInt() == ORDERS), parity().toString());

        JsonNode report = parity();
        assertEquals(0, report.path("matching").asInt(), report.toString());
        assertEquals(0, report.path("failed").asInt(), report.toString());
        assertEquals(1, report.path("differingCalls").size(), report.toString());
        JsonNode differing = report.path("differingCalls").get(0);
        assertEquals("contact.upsert", differing.path("step").asText(), report.toString());
        assertEquals(ORDERS, differing.path("onlyShadow").asInt(), report.toString());
        assertEquals(0, differing.path("onlyLive").asInt() + differing.path("requestDiffers").asInt(), report.toString());
        for (JsonNode differingRun : report.path("differingRuns")) {
            assertEquals("[\"contact.upsert\"]", differingRun.path("onlyShadow").toString(), differingRun.toString());
        }

        // live: version 1 exactly once per order; the shadow's calls only under its own keys
        for (int i = 0; i < ORDERS; i++) {
            String orderId = "ORD-S-" + run + "-" + i;
            List<SandboxClient.Effect> ledger = sandbox.ledger(orderId);
            assertEquals(List.of("invoice.create", "payment.capture", "email.send"), ledger.stream()
                    .filter(effect -> !effect.idempotencyKey().startsWith(FlowShadows.KEY_PREFIX))
                    .map(SandboxClient.Effect::operation).toList(), orderId);
            assertEquals(List.of("invoice.create", "payment.capture", "contact.upsert", "email.send"), ledger.stream()
                    .filter(effect -> effect.idempotencyKey().startsWith(FlowShadows.KEY_PREFIX))
                    .map(SandboxClient.Effect::operation).toList(), orderId);
        }
        assertTrue(operator.deadLetterEventIds(FLOW).isEmpty());
        // the event's timeline is the live run's, on version 1
        Timelines.awaitStep(operator, firstEvent, "outcome", "completed");
        assertTrue(Timelines.steps(operator, firstEvent).stream().filter(step -> !step.path("flow").isNull()
                && FLOW.equals(step.path("flow").asText()) && step.has("version") && !step.path("version").isNull())
                .allMatch(step -> "1".equals(step.path("version").asText())), firstEvent);

        JsonNode rollout = operator.get("/api/flows/" + FLOW + "/rollout");
        assertEquals("shadow", rollout.path("state").asText(), rollout.toString());
        JsonNode begun = operator.get("/api/audit?action=flow.rollout");
        assertEquals("shadow", begun.path("items").get(0).path("detail").path("mode").asText(), begun.toString());

        // promoted from the shadow: new orders run on version 2, live, and have no shadow any more
        operator.post("/api/flows/" + FLOW + "/rollout/promote", "");
        String promoted = "ORD-S-" + run + "-promoted";
        sendOrder(promoted);
        assertEquals(List.of("invoice.create", "payment.capture", "contact.upsert", "email.send"),
                sandbox.awaitOperations(promoted, ops -> ops.contains("email.send")));
        assertTrue(sandbox.ledger(promoted).stream()
                .noneMatch(effect -> effect.idempotencyKey().startsWith(FlowShadows.KEY_PREFIX)));
        assertEquals(ORDERS, parity().path("compared").asInt());
    }

    @Test
    void aFailingShadowIsReportedAndLeavesTheLiveRunsAndTheirBreakersAlone() throws Exception {
        // contact.upsert is called by the shadow only: every shadow run fails there, twice
        sandbox.operationFault("crm", "contact.upsert", "error");
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < ORDERS; i++) {
            sendOrder("ORD-F-" + run + "-" + i);
        }
        assertTrue(Await.until(() -> parity().path("compared").asInt() == ORDERS), parity().toString());
        JsonNode report = parity();
        assertEquals(ORDERS, report.path("failed").asInt(), report.toString());
        assertTrue(report.path("differingRuns").get(0).path("failure").asText().contains("500"), report.toString());

        for (int i = 0; i < ORDERS; i++) {
            String orderId = "ORD-F-" + run + "-" + i;
            assertEquals(List.of("invoice.create", "payment.capture", "email.send"), sandbox.ledger(orderId).stream()
                    .filter(effect -> !effect.idempotencyKey().startsWith(FlowShadows.KEY_PREFIX))
                    .map(SandboxClient.Effect::operation).toList(), orderId);
        }
        assertTrue(operator.deadLetterEventIds(FLOW).isEmpty(), "a shadow run was dead-lettered");
        // forty failed shadow calls to the CRM, and its breaker (five failures of ten open it) is still closed
        assertEquals(0, MetricsScrape.of(hookrail.managementUrl()).value("hookrail_circuit_breaker_state",
                "system", "crm"), 0.0);
        assertTrue(MetricsScrape.of(hookrail.managementUrl()).has("hookrail_circuit_breaker_state"));
    }

    JsonNode parity() {
        return operator.get("/api/flows/" + FLOW + "/shadow");
    }

    String sendOrder(String orderId) {
        String eventId = "msg_" + UUID.randomUUID();
        assertEquals(202, sender.standardWebhooks("shop", SHOP_SECRET, eventId,
                GoldenEvents.withField("shop-order-placed-small.json", "orderId", orderId)).statusCode());
        return eventId;
    }
}

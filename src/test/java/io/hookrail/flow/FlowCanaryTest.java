package io.hookrail.flow;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.LogCapture;
import io.hookrail.support.MetricsScrape;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.Timelines;
import io.hookrail.support.WebhookSender;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.hookrail.support.GoldenEvents.SHOP_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flow versions side by side (ADR 11): version 2 of order-fulfilment (test resource canary/, which also keeps the
 * customer in the CRM, contact.upsert) beside version 1, as a canary for 20 % of new orders by the hash of their
 * order id. Each case asserts the exact ledger of every order.
 */
class FlowCanaryTest {

    static final String FLOW = "order-fulfilment";
    static final List<String> V1 = List.of("invoice.create", "payment.capture", "email.send");
    static final List<String> V2 = List.of("invoice.create", "payment.capture", "contact.upsert", "email.send");
    /** Version 2 gave up at contact.upsert (the sandbox refused it, no effect): the saga undone, in reverse. */
    static final List<String> V2_COMPENSATED = List.of("invoice.create", "payment.capture", "payment.refund",
            "invoice.cancel");

    HookrailInstance hookrail;
    WebhookSender sender;
    SandboxClient sandbox;
    AdminClient operator;

    void start(int minimumSample) {
        hookrail = HookrailInstance.builder()
                .property("camel.main.routesIncludePattern",
                        "classpath:routes/*.camel.yaml,classpath:canary/order-fulfilment-v2.camel.yaml")
                .property("hookrail.flow." + FLOW + ".candidate.version", "2")
                .property("hookrail.flow." + FLOW + ".candidate.share", "20")
                .property("hookrail.flow.rollout.minimumSample", String.valueOf(minimumSample))
                .property("hookrail.flow.rollout.failureMargin", "0.1")
                .property("hookrail.flow.rollout.checkMillis", "200")
                .property("hookrail.flow.retry.maximumRedeliveries", "1")
                .property("hookrail.flow.retry.initialDelayMillis", "50")
                .property("hookrail.circuitBreaker.minimumNumberOfCalls", "100000")
                .start();
        sender = new WebhookSender(hookrail.baseUrl());
        sandbox = new SandboxClient(hookrail.baseUrl());
        operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
    }

    @AfterEach
    void stop() {
        if (hookrail != null) {
            hookrail.close();
        }
    }

    @Test
    void aFailingCanaryIsRolledBackAfterTheMinimumSampleAndNoOrderIsLostOrDoubled() throws Exception {
        start(10);
        // a step only version 2 calls
        sandbox.operationFault("crm", "contact.upsert", "error");

        List<String> first = orderIds("A", 150, id -> true);
        List<String> eventIds = new ArrayList<>();
        first.forEach(id -> eventIds.add(sendOrder(id)));
        assertTrue(Await.until(() -> "rolled_back".equals(rollout().path("state").asText())), rollout().toString());
        assertTrue(Await.until(() -> finished(rollout()) == first.size()), rollout().toString());

        JsonNode rollout = rollout();
        List<String> onV2 = new ArrayList<>();
        for (String id : first) {
            List<String> ledger = sandbox.operations(id);
            if (ledger.equals(V2_COMPENSATED)) {
                onV2.add(id);
                assertTrue(FlowRollout.bucket(id) < 20, id + " ran on the canary outside its share");
            } else {
                assertEquals(V1, ledger, id);
            }
        }
        assertTrue(onV2.size() >= 10, "the canary was judged before its minimum sample: " + onV2.size());
        assertEquals(onV2.size(), rollout.path("finished").path("2").path("compensated").asInt(), rollout.toString());
        assertEquals(first.size() - onV2.size(), rollout.path("finished").path("1").path("completed").asInt(),
                rollout.toString());
        // judged on the runs finished then: at least the minimum sample, all of them failed
        var verdict = java.util.regex.Pattern.compile("version 2 failed (\\d+) of \\1 runs \\(100\\.0 %\\), version 1 0 of \\d+"
                + " \\(0\\.0 %\\): more than 10\\.0 points worse").matcher(rollout.path("reason").asText());
        assertTrue(verdict.matches() && Integer.parseInt(verdict.group(1)) >= 10, rollout.toString());
        // every failed canary run is in the dead letters, nothing else is
        assertTrue(Await.until(() -> operator.deadLetterEventIds(FLOW).size() == onV2.size()));

        // after the rollback, orders whose hash falls in the canary's share run on version 1
        List<String> after = orderIds("B", 15, id -> FlowRollout.bucket(id) < 20);
        after.forEach(this::sendOrder);
        for (String id : after) {
            assertEquals(V1, sandbox.awaitOperations(id, ops -> ops.contains("email.send")), id);
        }

        JsonNode audit = operator.get("/api/audit?action=flow.rolled-back");
        assertEquals(1, audit.path("total").asInt(), audit.toString());
        assertEquals(FlowRollouts.MONITOR_ACTOR, audit.path("items").get(0).path("actor").asText(), audit.toString());
        assertEquals(1, operator.get("/api/audit?action=flow.rollout").path("total").asInt(), "the canary's start");

        // the version is on the metrics and on the timeline
        MetricsScrape metrics = MetricsScrape.of(hookrail.managementUrl());
        assertEquals(onV2.size(), metrics.value("hookrail_flow_outcomes_total", "flow", FLOW, "version", "2",
                "outcome", "dead_lettered"), 0.0);
        String v2Event = eventIds.get(first.indexOf(onV2.get(0)));
        Timelines.awaitStep(operator, v2Event, "outcome", "dead_lettered");
        assertTrue(Timelines.steps(operator, v2Event).stream().filter(step -> "call".equals(step.path("kind").asText()))
                .allMatch(step -> "2".equals(step.path("version").asText())), v2Event);
    }

    @Test
    void anOperatorPromotesAndRollsBackWhileEveryRunStaysOnItsVersionReplaysIncluded() throws Exception {
        start(1000);
        List<String> canary = orderIds("C", 10, id -> FlowRollout.bucket(id) < 20);
        List<String> stable = orderIds("D", 10, id -> FlowRollout.bucket(id) >= 20);
        try (LogCapture log = LogCapture.open()) {
            canary.forEach(this::sendOrder);
            stable.forEach(this::sendOrder);
            for (String id : canary) {
                assertEquals(V2, sandbox.awaitOperations(id, ops -> ops.contains("email.send")), id);
            }
            for (String id : stable) {
                assertEquals(V1, sandbox.awaitOperations(id, ops -> ops.contains("email.send")), id);
            }
            // every downstream call's log line names the version of the run that made it
            List<LogEvent> calls = log.events().stream()
                    .filter(event -> "io.hookrail.flow.downstream".equals(event.getLoggerName())).toList();
            assertEquals(4 * canary.size() + 3 * stable.size(), calls.size());
            for (LogEvent call : calls) {
                String version = call.getContextData().getValue("flowVersion");
                String step = call.getContextData().getValue("step");
                assertTrue("1".equals(version) && !"contact.upsert".equals(step) || "2".equals(version),
                        call.getMessage().getFormattedMessage() + " " + call.getContextData());
            }
            assertTrue(calls.stream().anyMatch(call -> "contact.upsert".equals(call.getContextData().getValue("step"))
                    && "2".equals(call.getContextData().getValue("flowVersion"))));
        }

        AdminClient viewer = new AdminClient(hookrail.baseUrl(), AdminClient.VIEWER_TOKEN);
        assertEquals(403, viewer.postRaw("/api/flows/" + FLOW + "/rollout/promote", "").statusCode());
        JsonNode promoted = operator.post("/api/flows/" + FLOW + "/rollout/promote", "{\"reason\":\"canary looks good\"}");
        assertEquals("promoted", promoted.path("state").asText(), promoted.toString());
        var again = operator.postRaw("/api/flows/" + FLOW + "/rollout/promote", "");
        assertEquals(409, again.statusCode(), again.body());
        assertTrue(again.body().contains("rollout-conflict"), again.body());

        // promoted: every new order runs on version 2; one fails there and is dead-lettered
        sandbox.operationFault("crm", "contact.upsert", "error");
        String failing = orderIds("E", 1, id -> FlowRollout.bucket(id) >= 20).get(0);
        String failingEvent = sendOrder(failing);
        assertTrue(Await.until(() -> operator.deadLetter(FLOW, failingEvent).isPresent()));
        assertEquals(V2_COMPENSATED, sandbox.operations(failing));
        sandbox.clearFaults();
        String promotedOrder = orderIds("F", 1, id -> FlowRollout.bucket(id) >= 20).get(0);
        sendOrder(promotedOrder);
        assertEquals(V2, sandbox.awaitOperations(promotedOrder, ops -> ops.contains("email.send")));

        // rolled back over JMX: new orders run on version 1 again
        Object answer = ManagementFactory.getPlatformMBeanServer().invoke(hookrail.serviceMBean("ManagedFlowRollouts"),
                "rollback", new Object[]{FLOW, "rolled back to check"}, new String[]{"java.lang.String", "java.lang.String"});
        assertTrue(answer.toString().contains("\"state\":\"rolled_back\""), answer.toString());
        String afterRollback = orderIds("G", 1, id -> FlowRollout.bucket(id) < 20).get(0);
        sendOrder(afterRollback);
        assertEquals(V1, sandbox.awaitOperations(afterRollback, ops -> ops.contains("email.send")));

        // the run that failed on version 2 is replayed on version 2, rolled back or not
        String letter = operator.deadLetter(FLOW, failingEvent).orElseThrow().path("id").asText();
        operator.post("/api/dlq/" + letter + "/replay", "");
        List<String> replayed = sandbox.awaitOperations(failing, ops -> ops.contains("email.send"));
        assertEquals(List.of("invoice.create", "payment.capture", "payment.refund", "invoice.cancel",
                "invoice.create", "payment.capture", "contact.upsert", "email.send"), replayed);

        JsonNode promotions = operator.get("/api/audit?action=flow.promoted");
        assertEquals(1, promotions.path("total").asInt(), promotions.toString());
        assertEquals("canary looks good", promotions.path("items").get(0).path("detail").path("reason").asText(),
                promotions.toString());
        JsonNode rollbacks = operator.get("/api/audit?action=flow.rolled-back");
        assertEquals("jmx", rollbacks.path("items").get(0).path("actor").asText(), rollbacks.toString());
    }

    JsonNode rollout() {
        return operator.get("/api/flows/" + FLOW + "/rollout");
    }

    static int finished(JsonNode rollout) {
        int total = 0;
        for (JsonNode version : rollout.path("finished")) {
            total += version.path("completed").asInt() + version.path("compensated").asInt();
        }
        return total;
    }

    /** Order ids of this run whose hash meets the condition. */
    static List<String> orderIds(String prefix, int count, Predicate<String> condition) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; ids.size() < count; i++) {
            String id = "ORD-" + prefix + "-" + run + "-" + i;
            if (condition.test(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    String sendOrder(String orderId) {
        String eventId = "msg_" + UUID.randomUUID();
        assertEquals(202, sender.standardWebhooks("shop", SHOP_SECRET, eventId,
                GoldenEvents.withField("shop-order-placed-small.json", "orderId", orderId)).statusCode());
        return eventId;
    }
}

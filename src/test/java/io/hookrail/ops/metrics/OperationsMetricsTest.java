package io.hookrail.ops.metrics;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.MetricsScrape;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /observe/metrics} after golden events, a refused delivery, an ERP outage that dead-letters an order, an
 * e-mail outage whose sagas are compensated, and a refund held for approval: the counters, the DLQ and approval gauges and the latency histogram moved as they should.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsMetricsTest {

    static final List<String> FULFILLED = List.of("invoice.create", "payment.capture", "email.send");

    HookrailInstance hookrail;
    WebhookSender sender;
    SandboxClient sandbox;

    @BeforeAll
    void startHookrail() {
        hookrail = HookrailInstance.builder()
                .property("hookrail.flow.retry.maximumRedeliveries", "1")
                .property("hookrail.flow.retry.initialDelayMillis", "10")
                .property("hookrail.metrics.sampleIntervalMillis", "200")
                .start();
        sender = new WebhookSender(hookrail.baseUrl());
        sandbox = new SandboxClient(hookrail.baseUrl());
    }

    @AfterAll
    void stopHookrail() {
        hookrail.close();
    }

    @Test
    void countersGaugesAndHistogramsMoveWithTheTraffic() throws Exception {
        MetricsScrape before = MetricsScrape.of(hookrail.managementUrl());

        GoldenEvents.Golden small = GoldenEvents.named("shop-order-placed-small.json");
        String fulfilled = "ORD-M-" + UUID.randomUUID();
        assertEquals(202, sendOrder(fulfilled));
        assertEquals(FULFILLED, sandbox.awaitOperations(fulfilled, ops -> ops.size() >= 3));
        GoldenEvents.Golden lead = GoldenEvents.named("crm-lead-qualified.json");
        assertEquals(202, sender.standardWebhooks(lead.source(), lead.secret(), "msg_" + UUID.randomUUID(), lead.body())
                .statusCode());
        sandbox.awaitOperations("LEAD-3141", ops -> ops.size() >= 2);
        assertEquals(401, sender.standardWebhooks("shop", "whsec_" + "A".repeat(32), "msg_" + UUID.randomUUID(),
                small.body()).statusCode());

        // the ERP is down: the order is retried, then dead-lettered
        sandbox.fault("erp", "down");
        String failed = "ORD-M-" + UUID.randomUUID();
        assertEquals(202, sendOrder(failed));
        AdminClient operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
        assertTrue(Await.until(() -> !operator.get("/api/dlq?flow=order-fulfilment").path("items").isEmpty()),
                "the order was not dead-lettered");
        sandbox.clearFaults();

        // the confirmation e-mail fails: its step gives up, the invoice and payment are undone once, then the order is
        // dead-lettered
        sandbox.fault("email", "down");
        String compensated = "ORD-M-" + UUID.randomUUID();
        assertEquals(202, sendOrder(compensated));
        assertTrue(Await.until(() -> sandbox.operations(compensated).stream().filter("invoice.cancel"::equals).count() == 1),
                "the order was not compensated: " + sandbox.operations(compensated));
        assertTrue(Await.until(() -> operator.get("/api/dlq?flow=order-fulfilment").path("items").size() == 2),
                "the order was not dead-lettered");
        sandbox.clearFaults();

        // a refund above the threshold waits
        GoldenEvents.Golden refund = GoldenEvents.named("support-refund-large.json");
        assertEquals(202, sender.standardWebhooks(refund.source(), refund.secret(), "msg_" + UUID.randomUUID(),
                refund.body()).statusCode());

        assertTrue(Await.until(() -> {
            MetricsScrape now = MetricsScrape.of(hookrail.managementUrl());
            return now.value("hookrail_dlq_depth", "flow", "order-fulfilment") == 2
                    && now.value("hookrail_approvals_pending", "flow", "refund") == 1;
        }), "the gauges did not show the dead letter and the pending approval");
        MetricsScrape after = MetricsScrape.of(hookrail.managementUrl());

        assertMoved(before, after, 3, "hookrail_webhooks_received_total", "source", "shop", "type", "order.placed",
                "outcome", "accepted");
        assertMoved(before, after, 1, "hookrail_webhooks_received_total", "source", "shop", "outcome", "unauthorized");
        assertMoved(before, after, 1, "hookrail_webhooks_received_total", "source", "crm", "outcome", "accepted");
        assertMoved(before, after, 1, "hookrail_flow_outcomes_total", "flow", "order-fulfilment", "version", "1",
                "outcome", "completed");
        assertMoved(before, after, 2, "hookrail_flow_outcomes_total", "flow", "order-fulfilment",
                "outcome", "dead_lettered");
        assertMoved(before, after, 1, "hookrail_flow_outcomes_total", "flow", "order-fulfilment",
                "outcome", "compensated");
        assertMoved(before, after, 1, "hookrail_flow_outcomes_total", "flow", "refund", "outcome", "held");
        assertMoved(before, after, 1, "hookrail_flow_outcomes_total", "flow", "lead-qualified", "outcome", "completed");
        assertMoved(before, after, 2, "hookrail_flow_redeliveries_total", "flow", "order-fulfilment");
        assertMoved(before, after, 1, "hookrail_business_events_total", "kpi", "orders_fulfilled");
        assertMoved(before, after, 12990, "hookrail_business_amount_minor_units_total", "kpi", "orders_fulfilled",
                "currency", "EUR");
        assertMoved(before, after, 1, "hookrail_business_events_total", "kpi", "leads_routed");

        // the latency histogram of the ERP's invoice.create: two answered calls (one fulfilled order, one compensated
        // one), two that met the outage
        assertMoved(before, after, 2, "hookrail_downstream_call_seconds_count", "system", "erp",
                "operation", "invoice.create", "status", "2xx");
        assertMoved(before, after, 2, "hookrail_downstream_call_seconds_count", "system", "erp",
                "operation", "invoice.create", "status", "5xx");
        assertTrue(after.value("hookrail_downstream_call_seconds_bucket", "system", "payments",
                "operation", "payment.capture", "le", "+Inf") >= 1, "no histogram buckets");
        assertTrue(after.value("hookrail_downstream_call_seconds_sum", "system", "email") > 0);

        assertEquals(0, after.value("hookrail_dlq_depth", "flow", "invoice-paid"), "every flow has a DLQ gauge");
        assertTrue(after.has("hookrail_dlq_depth") && after.text().contains("hookrail_dlq_depth{flow=\"invoice-paid\"}"));
        assertTrue(after.value("hookrail_dlq_oldest_age_seconds", "flow", "order-fulfilment") >= 0);
        assertTrue(after.text().contains("hookrail_approvals_oldest_pending_age_seconds{flow=\"refund\"}"));
        assertEquals(1, after.value("hookrail_ready"));
        assertTrue(after.has("hookrail_timeline_dropped_total"), "timeline drops are not counted");
        assertEquals(0, after.value("hookrail_timeline_dropped_total"));
        // Camel's own route metrics
        assertTrue(after.value("camel_exchanges_total", "routeId", "order-fulfilment") >= 2, "no Camel route metrics");
    }

    @Test
    void countersOfEveryFlowAndSourceExistAtZeroBeforeTheirFirstCount() throws Exception {
        // Prometheus' increase() misses the first count of a series born with it: the first dead letter must show
        assertTrue(Await.until(() -> MetricsScrape.of(hookrail.managementUrl()).text().contains(
                "hookrail_flow_outcomes_total{flow=\"invoice-paid\",outcome=\"dead_lettered\",version=\"1\"} 0.0")),
                "no zero counter of invoice-paid's dead letters");
        String text = MetricsScrape.of(hookrail.managementUrl()).text();
        assertTrue(text.contains("hookrail_webhooks_received_total{outcome=\"unavailable\",source=\"payments\","
                + "type=\"invoice.paid\"} 0.0"), "no zero counter of the payments source");
        assertTrue(text.contains("hookrail_flow_redeliveries_total{flow=\"refund\",version=\"1\"} 0.0"));
        assertTrue(text.contains("hookrail_flow_info{flow=\"refund\",kpi=\"refunds_issued\",owner=\"finance-team\","
                + "risk_tier=\"high\",version=\"1\"} 1"), "no info of the refund flow");
    }

    @Test
    void everyHookrailMetricHasHelp() {
        String text = MetricsScrape.of(hookrail.managementUrl()).text();
        for (String metric : List.of("hookrail_ready", "hookrail_dlq_depth", "hookrail_approvals_pending")) {
            assertTrue(text.contains("# HELP " + metric + " "), metric + " has no HELP line");
        }
    }

    int sendOrder(String orderId) {
        String body = new String(GoldenEvents.read("shop-order-placed-small.json"), StandardCharsets.UTF_8)
                .replace("ORD-10001", orderId);
        return sender.standardWebhooks("shop", GoldenEvents.SHOP_SECRET, "msg_" + UUID.randomUUID(),
                body.getBytes(StandardCharsets.UTF_8)).statusCode();
    }

    static void assertMoved(MetricsScrape before, MetricsScrape after, double by, String metric, String... labels) {
        double moved = after.value(metric, labels) - before.value(metric, labels);
        assertEquals(by, moved, 0.0001, metric + " " + String.join(",", labels) + " moved by " + moved);
    }

}

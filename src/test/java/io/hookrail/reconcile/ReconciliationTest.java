package io.hookrail.reconcile;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.GoldenEvents.Golden;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.MetricsScrape;
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
 * The reconciliation accounts for every accepted event: golden events, an outage's dead letter, held approvals, a
 * duplicate, and one "lost" event (a receipt the test writes in the store, with no message) that it alone lists as
 * unaccounted; and it reports a downstream effect doubled by hand in the sandbox ledger.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconciliationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORDER_FLOW = "order-fulfilment";

    TestDatabase database;
    HookrailInstance hookrail;
    WebhookSender sender;
    SandboxClient sandbox;
    AdminClient viewer;
    final HttpClient http = HttpClient.newHttpClient();

    /** The embedded default; {@link ReconciliationOnPostgresTest} runs the same on PostgreSQL. */
    TestDatabase database() {
        return TestDatabase.embeddedDefault();
    }

    @BeforeAll
    void startHookrail() {
        database = database();
        hookrail = HookrailInstance.builder()
                .database(database)
                .property("hookrail.flow.retry.maximumRedeliveries", "1")
                .property("hookrail.flow.retry.initialDelayMillis", "100")
                .property("hookrail.circuitBreaker.minimumNumberOfCalls", "1000")
                .property("hookrail.reconciliation.intervalMillis", "500")
                .start();
        sender = new WebhookSender(hookrail.baseUrl());
        sandbox = new SandboxClient(hookrail.baseUrl());
        viewer = new AdminClient(hookrail.baseUrl(), AdminClient.VIEWER_TOKEN);
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
    void everyAcceptedEventIsAccountedForButTheLostOne() throws Exception {
        Instant from = Instant.now();
        Map<String, String> expected = new TreeMap<>(); // event id -> bucket
        for (Golden golden : GoldenEvents.ALL) {
            String eventId = send(golden);
            boolean held = golden.file().endsWith("-large.json");
            expected.put(eventId, held ? "held" : "completed");
        }
        // each completed golden event's last effect is there before the outage starts
        sandbox.awaitOperations("ORD-10001", ops -> ops.contains("email.send"));
        sandbox.awaitOperations("ORD-10003", ops -> ops.contains("email.send"));
        sandbox.awaitOperations("INV-2026-0042", ops -> ops.contains("note.add"));
        sandbox.awaitOperations("LEAD-3141", ops -> ops.contains("email.send"));
        sandbox.awaitOperations("RF-501", ops -> ops.contains("note.add"));

        sandbox.fault("payments", "down");
        String outage = "msg_" + UUID.randomUUID();
        sendOrder(outage, "ORD-" + UUID.randomUUID());
        assertTrue(Await.until(() -> viewer.deadLetter(ORDER_FLOW, outage).isPresent()), "not dead-lettered");
        sandbox.clearFaults();
        expected.put(outage, "dead_lettered");

        String duplicate = "msg_" + UUID.randomUUID();
        sendOrder(duplicate, "ORD-10001");
        expected.put(duplicate, "duplicate");

        String lost = "msg_lost_" + UUID.randomUUID();
        insertReceipt("shop", lost, "order.placed", Instant.now());
        expected.put(lost, "unaccounted");

        String window = "/api/reconciliation?from=" + from + "&to=" + Instant.now().plusSeconds(1);
        assertTrue(Await.until(() -> buckets(viewer.get(window)).equals(expected)),
                () -> "expected " + expected + ", found " + buckets(viewer.get(window)));

        // the duplicate is found from its receipt's business id too, when the timeline lost its outcome
        Timelines.awaitStep(viewer, duplicate, "outcome", "duplicate");
        try (Connection connection = dataSource().getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM event_timeline WHERE event_id = ?")) {
            delete.setString(1, duplicate);
            assertTrue(delete.executeUpdate() > 0);
        }
        JsonNode report = viewer.get(window);
        assertEquals(expected, buckets(report));
        assertEquals(1, report.path("unaccounted").size(), report.toString());
        assertEquals(lost, report.path("unaccounted").get(0).path("eventId").asText());
        assertEquals(ORDER_FLOW, report.path("unaccounted").get(0).path("flow").asText());
        JsonNode orders = report.path("flows").path(ORDER_FLOW);
        assertEquals(2, orders.path("completed").asInt(), orders.toString());
        assertEquals(1, orders.path("held").asInt(), orders.toString());
        assertEquals(1, orders.path("duplicate").asInt(), orders.toString());
        assertEquals(1, orders.path("dead_lettered_by_kind").path("failed-run").asInt(), orders.toString());
        assertEquals(0, report.path("inFlight").size(), report.toString());
        JsonNode downstream = report.path("downstream");
        assertTrue(downstream.path("available").asBoolean(), downstream.toString());
        // two fulfilled orders, an invoice, a lead and a refund: 3 + 3 + 2 + 2 + 2 steps
        assertEquals(12, downstream.path("checkedSteps").asInt(), downstream.toString());
        assertEquals(0, downstream.path("missing").size(), downstream.toString());
        assertEquals(0, downstream.path("duplicates").size(), downstream.toString());

        // the scheduled run's gauge, and the JMX operation, see the lost event too
        assertTrue(Await.until(() -> MetricsScrape.of(hookrail.managementUrl())
                .value("hookrail_reconciliation_unaccounted") == 1));
        String overJmx = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                hookrail.serviceMBean("ReconciliationService"), "reconcile",
                new Object[] {from.toString(), Instant.now().plusSeconds(1).toString()},
                new String[] {String.class.getName(), String.class.getName()});
        assertEquals(lost, JSON.readTree(overJmx).path("unaccounted").get(0).path("eventId").asText());

        HttpResponse<String> csv = get(window + "&format=csv", "application/json");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        List<String> rows = csv.body().lines().toList();
        assertEquals("record,flow,source,event_id,event_type,received_at,status,detail", rows.get(0));
        assertEquals(expected.size() + 1, rows.size(), csv.body());
        assertTrue(rows.stream().anyMatch(row -> row.startsWith("event," + ORDER_FLOW + ",shop," + lost + ",order.placed,")
                && row.endsWith(",unaccounted,")), csv.body());
        assertTrue(rows.stream().anyMatch(row -> row.contains("," + outage + ",") && row.endsWith(",dead_lettered,failed-run")),
                csv.body());
        HttpResponse<String> accepted = get(window, "text/csv");
        assertTrue(accepted.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"), accepted.body());
    }

    @Test
    void aDownstreamEffectDoubledByHandIsReportedAsADuplicate() throws Exception {
        Instant from = Instant.now();
        String orderId = "ORD-" + UUID.randomUUID();
        String eventId = "msg_" + UUID.randomUUID();
        sendOrder(eventId, orderId);
        sandbox.awaitOperations(orderId, ops -> ops.contains("email.send"));
        SandboxClient.Effect capture = sandbox.ledger(orderId).stream()
                .filter(effect -> effect.operation().equals("payment.capture")).findFirst().orElseThrow();
        String window = "/api/reconciliation?from=" + from + "&to=" + Instant.now().plusSeconds(60);
        assertTrue(Await.until(() -> viewer.get(window).path("flows").path(ORDER_FLOW).path("completed").asInt() == 1));
        assertEquals(0, viewer.get(window).path("downstream").path("duplicates").size());

        // the capture happens a second time, under another key, as a system without idempotency would do it
        appendLedger(capture, orderId);

        JsonNode downstream = viewer.get(window).path("downstream");
        assertEquals(1, downstream.path("duplicates").size(), downstream.toString());
        JsonNode doubled = downstream.path("duplicates").get(0);
        assertEquals(orderId, doubled.path("businessId").asText());
        assertEquals(eventId, doubled.path("eventId").asText());
        assertEquals("payment.capture", doubled.path("step").asText());
        assertEquals(capture.idempotencyKey(), doubled.path("idempotencyKey").asText());
        assertEquals(2, doubled.path("effects").asInt());
        assertEquals(0, downstream.path("missing").size(), downstream.toString());
        assertTrue(Await.until(() -> MetricsScrape.of(hookrail.managementUrl())
                .value("hookrail_reconciliation_duplicate_effects") >= 1));
    }

    @Test
    void theErpHookOfTheInvoiceStepFindsAnInvoiceDoubledByHand() throws Exception {
        Instant from = Instant.now();
        String orderId = "ORD-" + UUID.randomUUID();
        String eventId = "msg_" + UUID.randomUUID();
        sendOrder(eventId, orderId);
        sandbox.awaitOperations(orderId, ops -> ops.contains("email.send"));
        String window = "/api/reconciliation?from=" + from + "&to=" + Instant.now().plusSeconds(60);
        assertTrue(Await.until(() -> viewer.get(window).path("flows").path(ORDER_FLOW).path("completed").asInt() == 1));
        JsonNode before = viewer.get(window);
        assertEquals("commerce-team", before.path("flows").path(ORDER_FLOW).path("owner").asText(), before.toString());
        assertEquals("high", before.path("flows").path(ORDER_FLOW).path("riskTier").asText());
        assertEquals("[\"invoice.create\"]", before.path("downstream").path("hooks").toString());
        assertEquals(3, before.path("downstream").path("checkedSteps").asInt(), before.toString());
        assertEquals(0, before.path("downstream").path("duplicates").size(), before.toString());

        // a second invoice for the order, as an ERP client without idempotency would make it
        SandboxClient.Effect invoice = sandbox.ledger(orderId).stream()
                .filter(effect -> effect.operation().equals("invoice.create")).findFirst().orElseThrow();
        appendLedger(invoice, orderId);
        HttpResponse<String> invoices = get("/sandbox/erp/invoices?reference=" + orderId, "application/json");
        assertEquals(2, JSON.readTree(invoices.body()).path("items").size(), invoices.body());

        JsonNode downstream = viewer.get(window).path("downstream");
        assertEquals(1, downstream.path("duplicates").size(), downstream.toString());
        JsonNode doubled = downstream.path("duplicates").get(0);
        assertEquals("invoice.create", doubled.path("step").asText());
        assertEquals("hook", doubled.path("checkedBy").asText());
        assertEquals(orderId, doubled.path("businessId").asText());
        assertEquals(invoice.idempotencyKey(), doubled.path("idempotencyKey").asText());
        assertEquals(2, doubled.path("effects").asInt());
        assertEquals(0, downstream.path("missing").size(), downstream.toString());
    }

    @Test
    void aHookThatFailsLeavesItsStepUncheckedWithWhy() throws Exception {
        String hook = "reconcile-email.send";
        hookrail.camelContext().addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + hook).routeId(hook)
                        .throwException(new IllegalStateException("the mail system's API is down"));
            }
        });
        try {
            Instant from = Instant.now();
            String orderId = "ORD-" + UUID.randomUUID();
            sendOrder("msg_" + UUID.randomUUID(), orderId);
            sandbox.awaitOperations(orderId, ops -> ops.contains("email.send"));
            String window = "/api/reconciliation?from=" + from + "&to=" + Instant.now().plusSeconds(60);
            assertTrue(Await.until(() -> viewer.get(window).path("flows").path(ORDER_FLOW).path("completed").asInt() == 1));
            JsonNode downstream = viewer.get(window).path("downstream");
            assertEquals(2, downstream.path("checkedSteps").asInt(), downstream.toString());
            assertEquals(1, downstream.path("unchecked").size(), downstream.toString());
            JsonNode unchecked = downstream.path("unchecked").get(0);
            assertEquals("email.send", unchecked.path("step").asText());
            assertEquals(orderId, unchecked.path("businessId").asText());
            assertEquals("the mail system's API is down", unchecked.path("reason").asText());
            assertTrue(get(window + "&format=csv", "text/csv").body().lines().anyMatch(row ->
                    row.startsWith("effect," + ORDER_FLOW + "," + orderId + ",") && row.contains(",unchecked_effect,")));
        } finally {
            hookrail.camelContext().getRouteController().stopRoute(hook);
            hookrail.camelContext().removeRoute(hook);
        }
    }

    @Test
    void aFromThatIsNoInstantIsRefused() {
        HttpResponse<String> refused = get("/api/reconciliation?from=yesterday", "application/json");
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(refused.body().contains("from is not an ISO-8601 instant"), refused.body());
        assertEquals(400, get("/api/reconciliation?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
                "application/json").statusCode());
    }

    @Test
    void theConsoleServesTheReconciliationPage() {
        for (String path : List.of("/console/reconciliation", "/console/reconciliation.js",
                "/console/reconciliation.css")) {
            HttpResponse<String> page = get(path, "*/*");
            assertEquals(200, page.statusCode(), path);
            assertTrue(page.headers().firstValue("Content-Security-Policy").isPresent(), path);
        }
        assertTrue(get("/console/reconciliation", "text/html").body().contains("/console/reconciliation.js"));
    }

    // ---------------------------------------------------------------- helpers

    /** The bucket of each event, as the report lists them (one flow consumes each event type here). */
    static Map<String, String> buckets(JsonNode report) {
        Map<String, String> buckets = new TreeMap<>();
        report.path("events").forEach(line -> buckets.put(line.path("eventId").asText(), line.path("status").asText()));
        return buckets;
    }

    private String send(Golden golden) {
        String eventId;
        int status;
        if (golden.isStripe()) {
            try {
                eventId = JSON.readTree(golden.body()).path("id").asText();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            status = sender.stripe(golden.source(), golden.secret(), golden.body()).statusCode();
        } else {
            eventId = "msg_" + UUID.randomUUID();
            status = sender.standardWebhooks(golden.source(), golden.secret(), eventId, golden.body()).statusCode();
        }
        assertEquals(202, status, golden.toString());
        return eventId;
    }

    private void sendOrder(String eventId, String orderId) {
        assertEquals(202, sender.standardWebhooks("shop", SHOP_SECRET, eventId,
                GoldenEvents.withField("shop-order-placed-small.json", "orderId", orderId)).statusCode());
    }

    /** The effect once more in the sandbox ledger, under another key: done twice by a system without idempotency. */
    private void appendLedger(SandboxClient.Effect effect, String businessId) throws SQLException {
        try (Connection connection = dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO sandbox_ledger (system, operation,"
                     + " business_id, idempotency_key, correlation_id, at) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, effect.system());
            insert.setString(2, effect.operation());
            insert.setString(3, businessId);
            insert.setString(4, "by-hand-" + UUID.randomUUID());
            insert.setString(5, effect.correlationId());
            insert.setObject(6, OffsetDateTime.now(ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }

    /** A receipt as the gateway writes it, with no message behind it: an event lost after it was accepted. */
    private void insertReceipt(String source, String eventId, String type, Instant at) throws SQLException {
        try (Connection connection = dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO ingest_receipt (source, event_id,"
                     + " event_type, correlation_id, received_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, source);
            insert.setString(2, eventId);
            insert.setString(3, type);
            insert.setString(4, UUID.randomUUID().toString());
            insert.setObject(5, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }

    private DataSource dataSource() {
        return hookrail.camelContext().getRegistry().findSingleByType(DataSource.class);
    }

    private HttpResponse<String> get(String path, String accept) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(hookrail.baseUrl() + path))
                    .header("Authorization", "Bearer " + AdminClient.VIEWER_TOKEN).header("Accept", accept).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.hookrail.poll;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.MetricsScrape;
import io.hookrail.support.SandboxClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worked example {@code erp-invoices} against the sandbox ERP's paged feed of paid invoices: an instance stopped
 * in the middle of a window and started again on the same store resumes from its watermark, and in the end every
 * item was admitted exactly once and ran its flow exactly once; a re-run from an earlier watermark adds nothing.
 */
class PollingSourceTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SOURCE = "erp-invoices";
    static final String STATUS = "/api/sources/" + SOURCE;
    static final int ITEMS = 40;
    static final int PAGE = 5;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRestartMidWindowLosesAndDoublesNothingAndAReRunAddsNoDuplicates() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        HookrailInstance first = polling(HookrailInstance.builder()).start();
        HookrailInstance second = null;
        try {
            SandboxClient sandbox = new SandboxClient(first.baseUrl());
            AdminClient viewer = new AdminClient(first.baseUrl(), AdminClient.VIEWER_TOKEN);
            // each page takes a while, so the test can stop the instance with the window half done
            sandbox.inject("{\"system\":\"erp\",\"operation\":\"invoice.listPaid\",\"mode\":\"slow\",\"delayMs\":400}");
            addItems(first, run, 1, ITEMS);
            assertTrue(Await.until(() -> cursor(viewer) >= 2 * PAGE), () -> "no page admitted: " + viewer.get(STATUS));
            first.close();

            HookrailInstance restarted = polling(HookrailInstance.builder().dataDir(first.dataDir())).start();
            second = restarted;
            AdminClient viewer2 = new AdminClient(second.baseUrl(), AdminClient.VIEWER_TOKEN);
            // read before the restarted instance polls (its master: timer starts a second after the lease at the
            // earliest): the stopped window had not finished
            JsonNode stopped = viewer2.get(STATUS);
            long stoppedAt = Long.parseLong(stopped.path("watermark").asText());
            assertTrue(stoppedAt >= 2 * PAGE && stoppedAt < ITEMS, stopped.toString());
            assertTrue(stopped.path("lastSuccessAt").isNull(), "the first window finished: " + stopped);
            assertEquals(stoppedAt, receipts(second), "admitted items and watermark disagree");

            new SandboxClient(second.baseUrl()).clearFaults();
            assertTrue(Await.until(() -> cursor(viewer2) == ITEMS && !viewer2.get(STATUS).path("lastSuccessAt")
                    .isNull()), () -> "the window did not resume to the end: " + viewer2.get(STATUS));
            assertEquals(ITEMS, receipts(second));
            SandboxClient sandbox2 = new SandboxClient(second.baseUrl());
            for (int n = 1; n <= ITEMS; n++) {
                String invoice = invoice(run, n);
                assertEquals(List.of("invoice.markPaid", "note.add"),
                        sandbox2.awaitOperations(invoice, ops -> ops.size() >= 2), invoice);
            }

            // a re-run from an earlier watermark: every item is a duplicate, counted and not published again
            AdminClient operator = new AdminClient(second.baseUrl(), AdminClient.OPERATOR_TOKEN);
            HttpResponse<String> rerun = operator.postRaw(STATUS + "/rerun", "{\"from\": \"10\"}");
            assertEquals(202, rerun.statusCode(), rerun.body());
            MetricsScrape before = MetricsScrape.of(second.managementUrl());
            assertTrue(Await.until(() -> duplicates(restarted) == ITEMS - 10),
                    () -> "re-run duplicates: " + duplicates(restarted) + ", " + viewer2.get(STATUS));
            assertEquals(0, before.value("hookrail_poll_items_total", "source", SOURCE, "outcome", "invalid"));
            // a later item runs its flow: by then anything the re-run had published would have run too
            addItems(second, run, ITEMS + 1, 1);
            assertEquals(List.of("invoice.markPaid", "note.add"),
                    sandbox2.awaitOperations(invoice(run, ITEMS + 1), ops -> ops.size() >= 2));
            assertEquals(ITEMS + 1, receipts(second));
            for (int n = 1; n <= ITEMS; n++) {
                assertEquals(List.of("invoice.markPaid", "note.add"), sandbox2.operations(invoice(run, n)));
            }
            // the reconciliation accounts for every polled item as a completed run of invoice-paid, once
            JsonNode report = viewer2.get("/api/reconciliation?from=" + java.time.Instant.now().minusSeconds(3600)
                    + "&to=" + java.time.Instant.now().plusSeconds(1));
            List<String> completed = new java.util.ArrayList<>();
            report.path("events").forEach(line -> {
                if (line.path("eventId").asText().startsWith("ERP-PAID-" + run + "-")) {
                    assertEquals("completed", line.path("status").asText(), line.toString());
                    completed.add(line.path("eventId").asText());
                }
            });
            assertEquals(ITEMS + 1, completed.size(), report.toString());
            assertEquals(ITEMS + 1, new java.util.HashSet<>(completed).size());

            JsonNode status = viewer2.get(STATUS);
            assertEquals(String.valueOf(ITEMS + 1), status.path("watermark").asText(), status.toString());
            assertFalse(status.path("rerunPending").asBoolean(), status.toString());
        } finally {
            if (second != null) {
                second.close();
            } else {
                first.close();
            }
        }
    }

    @Test
    void badRequestsToTheApiAreProblems() throws Exception {
        try (HookrailInstance hookrail = polling(HookrailInstance.builder()).start()) {
            AdminClient operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
            AdminClient viewer = new AdminClient(hookrail.baseUrl(), AdminClient.VIEWER_TOKEN);
            assertProblem(operator.postRaw(STATUS + "/rerun", "{\"from\": 10}"), 400, "from must be a string");
            assertProblem(operator.postRaw(STATUS + "/rerun", "[1]"), 400, "JSON object");
            assertProblem(operator.postRaw(STATUS + "/rerun", "{"), 400, "not valid JSON");
            assertProblem(operator.postRaw("/api/sources/shop/rerun", "{}"), 404, "No polling source 'shop'");
            assertProblem(viewer.postRaw(STATUS + "/rerun", "{}"), 403, "");
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(hookrail.baseUrl()
                    + "/api/sources/nope")).header("Authorization", "Bearer " + AdminClient.VIEWER_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertProblem(none, 404, "No polling source 'nope'");
            JsonNode status = viewer.get(STATUS);
            assertEquals("invoice.paid", status.path("eventType").asText(), status.toString());
            assertEquals("PT5S", status.path("interval").asText());

            // the same over JMX, and a re-run from there
            javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            String[] strings = {String.class.getName()};
            JsonNode viaJmx = JSON.readTree((String) jmx.invoke(hookrail.serviceMBean("PollingService"), "status",
                    new Object[] {SOURCE}, strings));
            assertEquals("invoice.paid", viaJmx.path("eventType").asText(), viaJmx.toString());
            Object rerun = jmx.invoke(hookrail.serviceMBean("PollingService"), "rerun", new Object[] {SOURCE, ""},
                    new String[] {String.class.getName(), String.class.getName()});
            assertTrue(rerun.toString().contains("from the beginning"), rerun.toString());
        }
    }

    static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                response.headers().toString());
        assertTrue(response.body().contains(detail), response.body());
    }

    /** An instance polling the feed every 5 s, 5 items a page. */
    static HookrailInstance.Builder polling(HookrailInstance.Builder builder) {
        return builder.property("hookrail.poll.erp-invoices.interval", "PT5S")
                .property("hookrail.poll.erp-invoices.pageSize", String.valueOf(PAGE))
                .property("hookrail.poll.tickMillis", "200")
                .property("hookrail.circuitBreaker.minimumNumberOfCalls", "1000");
    }

    static String invoice(String run, int n) {
        return "INV-P" + run + "-" + n;
    }

    /** Adds paid invoices {@code from} .. {@code from + count - 1} to the sandbox ERP's feed. */
    static void addItems(HookrailInstance hookrail, String run, int from, int count) throws Exception {
        ArrayNode items = JSON.createArrayNode();
        for (int n = from; n < from + count; n++) {
            items.addObject().put("id", "ERP-PAID-" + run + "-" + n).put("invoiceId", invoice(run, n))
                    .put("orderId", "ORD-P" + run + "-" + n).put("paymentId", "PAY-P" + run + "-" + n)
                    .put("currency", "EUR").put("amountMinor", 1000 + n).put("paidAt", "2026-12-02T10:00:00Z");
        }
        HttpResponse<String> added = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(hookrail.baseUrl() + "/sandbox/erp/paid-invoices"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(items.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, added.statusCode(), added.body());
    }

    /** The source's stored cursor, 0 before its first page. */
    static long cursor(AdminClient viewer) {
        String watermark = viewer.get(STATUS).path("watermark").asText("");
        return watermark.isEmpty() || watermark.equals("null") ? 0 : Long.parseLong(watermark);
    }

    static long duplicates(HookrailInstance hookrail) {
        return (long) MetricsScrape.of(hookrail.managementUrl()).value("hookrail_poll_items_total", "source", SOURCE,
                "outcome", "duplicate");
    }

    /** The door's receipts of the source. */
    static long receipts(HookrailInstance hookrail) throws SQLException {
        DataSource dataSource = hookrail.camelContext().getRegistry().findSingleByType(DataSource.class);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement(
                     "SELECT COUNT(*) FROM ingest_receipt WHERE source = ?")) {
            count.setString(1, SOURCE);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}

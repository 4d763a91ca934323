package io.hookrail.sandbox;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sandbox's contract (DESIGN section 3) over real HTTP on loopback against a real store; each subclass picks the
 * database. One Hookrail serves every test, so each test uses references and keys of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SandboxScenarios {

    static final ObjectMapper JSON = new ObjectMapper();

    TestDatabase database;
    HookrailInstance hookrail;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    abstract TestDatabase database();

    @BeforeAll
    void startHookrail() {
        database = database();
        hookrail = HookrailInstance.builder().database(database).start();
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
        database.close();
    }

    @AfterEach
    void healEverySystem() throws Exception {
        // faults are global to the store the instances share: none may leak into the next test
        if (hookrail != null) {
            send("DELETE", "/sandbox/faults", null, null, null);
        }
    }

    /** One mutating call of the sandbox API, as a flow would make it. */
    record Case(String system, String operation, String path, int status, String idField, String idPrefix,
                String extraBody) {

        String body(String reference) {
            return "{\"reference\":\"" + reference + "\"" + extraBody + "}";
        }

        @Override
        public String toString() {
            return operation;
        }
    }

    static Stream<Case> operations() {
        return Stream.of(
                new Case("erp", "invoice.create", "/sandbox/erp/invoices", 201, "invoiceId", "INV-",
                        ",\"customerId\":\"C-1\",\"currency\":\"EUR\",\"amountMinor\":4990"),
                new Case("erp", "invoice.cancel", "/sandbox/erp/invoices/INV-2026-0042/cancel", 200, "invoiceId",
                        "INV-2026-0042", ",\"reason\":\"compensated\""),
                new Case("erp", "invoice.markPaid", "/sandbox/erp/invoices/INV-2026-0042/paid", 200, "invoiceId",
                        "INV-2026-0042", ",\"paymentId\":\"PAY-1\",\"amountMinor\":4990,\"currency\":\"EUR\""),
                new Case("payments", "payment.capture", "/sandbox/payments/captures", 201, "paymentId", "PAY-",
                        ",\"currency\":\"EUR\",\"amountMinor\":4990"),
                new Case("payments", "payment.refund", "/sandbox/payments/refunds", 201, "refundId", "RFND-",
                        ",\"paymentId\":\"PAY-88213\",\"currency\":\"EUR\",\"amountMinor\":6495"),
                new Case("email", "email.send", "/sandbox/email/messages", 202, "messageId", "EM-",
                        ",\"to\":\"a@b.example\",\"template\":\"order-confirmation\""),
                new Case("crm", "contact.upsert", "/sandbox/crm/contacts", 200, "contactId", "CON-",
                        ",\"email\":\"wanjiru@kilimo.example\",\"name\":\"Wanjiru Kamau\""),
                new Case("crm", "contact.erase", "/sandbox/crm/contacts/CUS-4711/erase", 200, "contactId",
                        "CUS-4711", ",\"reason\":\"GDPR deletion\""),
                new Case("crm", "note.add", "/sandbox/crm/notes", 201, "noteId", "NOTE-",
                        ",\"subject\":\"Invoice paid\",\"text\":\"paid\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void eachOperationAnswersLikeTheRealSystemAndAppendsOneLedgerEntry(Case call) throws Exception {
        String reference = unique("REF");
        String key = unique("key");
        String correlationId = unique("corr");
        Instant before = Instant.now();
        HttpResponse<String> response = post(call.path(), key, correlationId, call.body(reference));
        Instant after = Instant.now();

        assertEquals(call.status(), response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(correlationId, response.headers().firstValue("X-Correlation-Id").orElseThrow());
        assertFalse(response.headers().firstValue("Idempotent-Replayed").isPresent());
        JsonNode answer = JSON.readTree(response.body());
        assertTrue(answer.path(call.idField()).asText().startsWith(call.idPrefix()), response.body());

        JsonNode entries = ledger(reference);
        assertEquals(1, entries.size(), entries.toString());
        JsonNode entry = entries.get(0);
        assertEquals(call.system(), entry.get("system").asText());
        assertEquals(call.operation(), entry.get("operation").asText());
        assertEquals(reference, entry.get("businessId").asText());
        assertEquals(key, entry.get("idempotencyKey").asText());
        assertEquals(correlationId, entry.get("correlationId").asText());
        Instant at = Instant.parse(entry.get("at").asText());
        assertFalse(at.isBefore(before.minusSeconds(1)) || at.isAfter(after.plusSeconds(1)), entry.toString());
    }

    @Test
    void responsesCarryWhatTheFlowsNeedForLaterSteps() throws Exception {
        JsonNode invoice = JSON.readTree(post("/sandbox/erp/invoices", unique("key"), null,
                "{\"reference\":\"" + unique("ORD") + "\",\"currency\":\"EUR\",\"amountMinor\":4990}").body());
        assertEquals("open", invoice.get("status").asText());
        assertEquals("EUR", invoice.get("currency").asText());
        assertEquals(4990, invoice.get("amountMinor").asLong());

        JsonNode capture = JSON.readTree(post("/sandbox/payments/captures", unique("key"), null,
                "{\"reference\":\"" + unique("ORD") + "\",\"currency\":\"EUR\",\"amountMinor\":4990}").body());
        assertEquals("captured", capture.get("status").asText());
        assertEquals(4990, capture.get("amountMinor").asLong());
        assertEquals("EUR", capture.get("currency").asText());

        JsonNode refund = JSON.readTree(post("/sandbox/payments/refunds", unique("key"), null,
                "{\"reference\":\"" + unique("RF") + "\",\"paymentId\":\"" + capture.get("paymentId").asText()
                        + "\"}").body());
        assertEquals("refunded", refund.get("status").asText());
        assertEquals(capture.get("paymentId"), refund.get("paymentId"));

        JsonNode cancelled = JSON.readTree(post("/sandbox/erp/invoices/" + invoice.get("invoiceId").asText() + "/cancel",
                unique("key"), null, "{\"reference\":\"" + unique("ORD") + "\"}").body());
        assertEquals(invoice.get("invoiceId"), cancelled.get("invoiceId"));
        assertEquals("cancelled", cancelled.get("status").asText());

        assertEquals("queued", JSON.readTree(post("/sandbox/email/messages", unique("key"), null,
                "{\"reference\":\"" + unique("ORD") + "\"}").body()).get("status").asText());
    }

    @Test
    void theSameEmailIsTheSameContact() throws Exception {
        String email = unique("lead") + "@kilimo.example";
        JsonNode first = JSON.readTree(post("/sandbox/crm/contacts", unique("key"), null,
                "{\"reference\":\"" + unique("LEAD") + "\",\"email\":\"" + email + "\"}").body());
        JsonNode second = JSON.readTree(post("/sandbox/crm/contacts", unique("key"), null,
                "{\"reference\":\"" + unique("LEAD") + "\",\"email\":\"" + email.toUpperCase() + "\"}").body());
        assertEquals(first.get("contactId"), second.get("contactId"));
    }

    @Test
    void repeatWithTheSameKeyAndBodyReplaysTheStoredResponseWithoutANewEffect() throws Exception {
        String reference = unique("ORD");
        String key = unique("key");
        HttpResponse<String> first = post("/sandbox/payments/captures", key, "corr-1",
                "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":4990}");
        // the same request with its fields in another order and other spacing is the same request
        HttpResponse<String> again = post("/sandbox/payments/captures", key, "corr-2",
                "{ \"amountMinor\": 4990, \"currency\": \"EUR\", \"reference\": \"" + reference + "\" }");

        assertEquals(201, first.statusCode(), first.body());
        assertEquals(201, again.statusCode(), again.body());
        assertEquals(first.body(), again.body());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElseThrow());
        assertEquals("corr-2", again.headers().firstValue("X-Correlation-Id").orElseThrow());
        JsonNode entries = ledger(reference);
        assertEquals(1, entries.size(), entries.toString());
        assertEquals("corr-1", entries.get(0).get("correlationId").asText());
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedWith422() throws Exception {
        String reference = unique("ORD");
        String key = unique("key");
        assertEquals(201, post("/sandbox/payments/captures", key, null,
                "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":4990}").statusCode());
        HttpResponse<String> other = post("/sandbox/payments/captures", key, null,
                "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":5000}");
        assertProblem(other, 422, "idempotency-key-reused");
        // one key names one request: not even the same body on another endpoint of the system
        assertProblem(post("/sandbox/payments/refunds", key, null,
                "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":4990,"
                        + "\"paymentId\":\"PAY-1\"}"), 422, "idempotency-key-reused");
        assertEquals(1, ledger(reference).size());
    }

    @Test
    void keysAreScopedPerSystem() throws Exception {
        String reference = unique("ORD");
        String key = unique("key");
        assertEquals(201, post("/sandbox/payments/captures", key, null,
                "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":4990}").statusCode());
        HttpResponse<String> email = post("/sandbox/email/messages", key, null, "{\"reference\":\"" + reference + "\"}");
        assertEquals(202, email.statusCode(), email.body());
        assertFalse(email.headers().firstValue("Idempotent-Replayed").isPresent());
        assertEquals(2, ledger(reference).size());
    }

    @Test
    void requestsAReadAPIWouldRefuseAreAnswered400WithoutEffect() throws Exception {
        String reference = unique("ORD");
        String valid = "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":4990}";
        assertProblem(post("/sandbox/payments/captures", null, null, valid), 400, "missing-idempotency-key");
        assertProblem(post("/sandbox/payments/captures", unique("key"), null,
                "{\"currency\":\"EUR\",\"amountMinor\":4990}"), 400, "invalid-request");
        assertProblem(post("/sandbox/email/messages", unique("key"), null, "{\"reference\":42}"), 400,
                "invalid-request");
        assertProblem(post("/sandbox/email/messages", unique("key"), null, "{\"reference\":"), 400, "invalid-request");
        assertProblem(post("/sandbox/email/messages", unique("key"), null, "[\"" + reference + "\"]"), 400,
                "invalid-request");
        assertProblem(post("/sandbox/payments/captures", unique("key"), null,
                "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":0}"), 400, "invalid-request");
        assertProblem(post("/sandbox/payments/captures", unique("key"), null,
                "{\"reference\":\"" + reference + "\",\"currency\":\"EURO\",\"amountMinor\":10}"), 400,
                "invalid-request");
        assertProblem(post("/sandbox/payments/refunds", unique("key"), null,
                "{\"reference\":\"" + reference + "\"}"), 400, "invalid-request");
        assertEquals(0, ledger(reference).size());
    }

    @Test
    void twentyConcurrentCallsWithOneKeyHaveOneEffectAndOneResponse() throws Exception {
        String reference = unique("ORD");
        String key = unique("key");
        String body = "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":4990}";
        int calls = 20;
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                Callable<HttpResponse<String>> call = () -> {
                    start.await();
                    return post("/sandbox/payments/captures", key, null, body);
                };
                responses.add(pool.submit(call));
            }
            start.countDown();
            Set<String> bodies = new HashSet<>();
            int replayed = 0;
            for (Future<HttpResponse<String>> future : responses) {
                HttpResponse<String> response = future.get();
                assertEquals(201, response.statusCode(), response.body());
                bodies.add(response.body());
                replayed += response.headers().firstValue("Idempotent-Replayed").isPresent() ? 1 : 0;
            }
            assertEquals(1, bodies.size(), bodies.toString());
            assertEquals(calls - 1, replayed);
            assertEquals(1, ledger(reference).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theLedgerListsEveryEffectInOrderAndFiltersByBusinessId() throws Exception {
        String first = unique("ORD");
        String second = unique("ORD");
        post("/sandbox/erp/invoices", unique("key"), null, "{\"reference\":\"" + first + "\"}");
        post("/sandbox/erp/invoices", unique("key"), null, "{\"reference\":\"" + second + "\"}");
        post("/sandbox/email/messages", unique("key"), null, "{\"reference\":\"" + first + "\"}");

        JsonNode filtered = ledger(first);
        assertEquals(2, filtered.size());
        assertEquals("invoice.create", filtered.get(0).get("operation").asText());
        assertEquals("email.send", filtered.get(1).get("operation").asText());

        HttpResponse<String> all = send("GET", "/sandbox/ledger?size=500", null, null, null);
        assertEquals(200, all.statusCode());
        List<String> order = new ArrayList<>();
        for (JsonNode entry : JSON.readTree(all.body()).path("items")) {
            String businessId = entry.get("businessId").asText();
            if (businessId.equals(first) || businessId.equals(second)) {
                order.add(businessId + " " + entry.get("operation").asText());
            }
        }
        assertEquals(List.of(first + " invoice.create", second + " invoice.create", first + " email.send"), order);
        assertTrue(entryWithoutCorrelationHasNull(filtered.get(0)));
        assertEquals(0, ledger(unique("nothing")).size());
    }

    @Test
    void theLedgerIsPagedInAStableOrderWithItsTotalAndBoundedPages() throws Exception {
        String reference = unique("ORD");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String key = unique("key");
            keys.add(key);
            assertEquals(202, post("/sandbox/email/messages", key, null, "{\"reference\":\"" + reference
                    + "\",\"to\":\"a@b.example\",\"template\":\"order-confirmation\"}").statusCode());
        }
        List<String> paged = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            HttpResponse<String> response = send("GET", "/sandbox/ledger?size=2&page=" + page + "&businessId="
                    + reference, null, null, null);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode answer = JSON.readTree(response.body());
            assertEquals(5, answer.path("total").asInt(), response.body());
            assertEquals(page, answer.path("page").asInt());
            assertEquals(2, answer.path("size").asInt());
            assertEquals(page < 2 ? 2 : 1, answer.path("items").size(), response.body());
            answer.path("items").forEach(entry -> paged.add(entry.path("idempotencyKey").asText()));
        }
        assertEquals(keys, paged, "pages in the order of the effects, none twice");
        JsonNode past = JSON.readTree(send("GET", "/sandbox/ledger?size=2&page=3&businessId=" + reference, null, null,
                null).body());
        assertEquals(0, past.path("items").size());
        assertEquals(5, past.path("total").asInt());
        JsonNode defaults = JSON.readTree(send("GET", "/sandbox/ledger", null, null, null).body());
        assertEquals(100, defaults.path("size").asInt());
        assertTrue(defaults.path("items").size() <= 100);
        for (String query : List.of("size=501", "size=0", "size=-1", "page=-1", "page=x", "size=1e3")) {
            assertProblem(send("GET", "/sandbox/ledger?" + query, null, null, null), 400, "invalid-request");
        }
    }

    @Test
    void deletingTheLedgerPurgesItAndTheStoredResponses() throws Exception {
        String reference = unique("ORD");
        String key = unique("key");
        assertEquals(202, post("/sandbox/email/messages", key, null, "{\"reference\":\"" + reference
                + "\",\"to\":\"a@b.example\",\"template\":\"order-confirmation\"}").statusCode());
        assertEquals(200, send("GET", "/sandbox/email/requests/" + key, null, null, null).statusCode());
        HttpResponse<String> purged = send("DELETE", "/sandbox/ledger", null, null, null);
        assertEquals(200, purged.statusCode(), purged.body());
        assertTrue(JSON.readTree(purged.body()).path("purged").asInt() >= 2, purged.body());
        assertEquals(0, ledger(reference).size());
        assertEquals(404, send("GET", "/sandbox/email/requests/" + key, null, null, null).statusCode());
    }

    @Test
    void aSlowFaultWaitsTenSecondsAtMost() throws Exception {
        assertEquals(10_000, SandboxFaults.MAX_DELAY_MS);
        assertProblem(fault("{\"system\":\"crm\",\"mode\":\"slow\",\"delayMs\":10001}"), 400, "invalid-request");
        assertProblem(fault("{\"system\":\"crm\",\"mode\":\"slow\",\"delayMs\":60000}"), 400, "invalid-request");
        assertEquals(204, fault("{\"system\":\"crm\",\"mode\":\"slow\",\"delayMs\":10000}").statusCode());
    }

    @Test
    void aSystemThatIsDownAnswers503AndDoesNothing() throws Exception {
        String reference = unique("ORD");
        String key = unique("key");
        String body = "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":4990}";
        assertEquals(204, fault("{\"system\":\"payments\",\"mode\":\"down\"}").statusCode());
        assertProblem(post("/sandbox/payments/captures", key, null, body), 503, "downstream-down");
        // other systems are unaffected
        assertEquals(202, post("/sandbox/email/messages", unique("key"), null,
                "{\"reference\":\"" + reference + "\"}").statusCode());
        assertEquals(List.of("email.send"), operations(ledger(reference)));

        assertEquals(204, send("DELETE", "/sandbox/faults", null, null, null).statusCode());
        // the refused call used up nothing: its retry with the same key performs the effect
        HttpResponse<String> retried = post("/sandbox/payments/captures", key, null, body);
        assertEquals(201, retried.statusCode(), retried.body());
        assertFalse(retried.headers().firstValue("Idempotent-Replayed").isPresent());
        assertEquals(List.of("email.send", "payment.capture"), operations(ledger(reference)));
    }

    @Test
    void anErrorFaultAtRateOneAnswers500AndDoesNothing() throws Exception {
        String reference = unique("ORD");
        assertEquals(204, fault("{\"system\":\"erp\",\"mode\":\"error\",\"rate\":1.0}").statusCode());
        for (int i = 0; i < 5; i++) {
            assertProblem(post("/sandbox/erp/invoices", unique("key"), null, "{\"reference\":\"" + reference + "\"}"),
                    500, "downstream-error");
        }
        assertEquals(0, ledger(reference).size());
    }

    @Test
    void aSlowSystemAnswersAfterTheDelayAndWorks() throws Exception {
        String reference = unique("LEAD");
        assertEquals(204, fault("{\"system\":\"crm\",\"mode\":\"slow\",\"delayMs\":1500}").statusCode());
        long start = System.nanoTime();
        HttpResponse<String> response = post("/sandbox/crm/notes", unique("key"), null,
                "{\"reference\":\"" + reference + "\"}");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(201, response.statusCode(), response.body());
        assertTrue(tookMillis >= 1500, "took " + tookMillis + " ms");
        assertEquals(1, ledger(reference).size());
    }

    @Test
    void faultsAreListedOnePerSystemAndClearedTogether() throws Exception {
        assertEquals(204, fault("{\"system\":\"payments\",\"mode\":\"error\",\"rate\":0.5}").statusCode());
        assertEquals(204, fault("{\"system\":\"email\",\"mode\":\"slow\"}").statusCode());
        // a new fault of a system replaces its old one
        assertEquals(204, fault("{\"system\":\"payments\",\"mode\":\"down\"}").statusCode());

        HttpResponse<String> listed = send("GET", "/sandbox/faults", null, null, null);
        assertEquals(200, listed.statusCode());
        assertEquals(JSON.readTree("[{\"system\":\"email\",\"mode\":\"slow\",\"rate\":1.0,\"delayMs\":2000,"
                + "\"retryAfterSeconds\":1},{\"system\":\"payments\",\"mode\":\"down\",\"rate\":1.0,\"delayMs\":2000,"
                + "\"retryAfterSeconds\":1}]"), JSON.readTree(listed.body()));

        assertEquals(204, send("DELETE", "/sandbox/faults", null, null, null).statusCode());
        assertEquals(JSON.readTree("[]"), JSON.readTree(send("GET", "/sandbox/faults", null, null, null).body()));
        assertEquals(201, post("/sandbox/payments/captures", unique("key"), null,
                "{\"reference\":\"" + unique("ORD") + "\",\"currency\":\"EUR\",\"amountMinor\":1}").statusCode());

        // every injection and the clearing are in the audit trail
        JsonNode injected = new AdminClient(hookrail.baseUrl(), AdminClient.VIEWER_TOKEN)
                .get("/api/audit?action=sandbox.fault.injected&subject=payments");
        assertTrue(injected.path("total").asInt() >= 2, injected.toString());
        assertEquals("down", injected.path("items").get(0).path("detail").path("fault").path("mode").asText());
        assertTrue(new AdminClient(hookrail.baseUrl(), AdminClient.VIEWER_TOKEN)
                .get("/api/audit?action=sandbox.faults.cleared").path("total").asInt() >= 1);
    }

    @Test
    void invalidFaultsAreRefusedWith400() throws Exception {
        assertProblem(fault("{\"system\":\"warehouse\",\"mode\":\"down\"}"), 400, "invalid-request");
        assertProblem(fault("{\"system\":\"payments\",\"mode\":\"sideways\"}"), 400, "invalid-request");
        assertProblem(fault("{\"system\":\"payments\",\"mode\":\"error\",\"rate\":2}"), 400, "invalid-request");
        assertProblem(fault("{\"system\":\"payments\",\"mode\":\"slow\",\"delayMs\":-1}"), 400, "invalid-request");
        assertProblem(fault("not json"), 400, "invalid-request");
        assertEquals(JSON.readTree("[]"), JSON.readTree(send("GET", "/sandbox/faults", null, null, null).body()));
    }

    @Test
    void aThrottlingSystemAnswers429WithRetryAfterAndDoesNothing() throws Exception {
        String reference = unique("ORD");
        String key = unique("key");
        String body = "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":4990}";
        assertEquals(204, fault("{\"system\":\"payments\",\"mode\":\"throttle\",\"retryAfterSeconds\":7}")
                .statusCode());
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> throttled = post("/sandbox/payments/captures", key, null, body);
            assertProblem(throttled, 429, "downstream-throttled");
            assertEquals("7", throttled.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(detail(throttled).contains("throttled"), throttled.body());
        }
        // without retryAfterSeconds a throttle asks for one second
        assertEquals(204, fault("{\"system\":\"email\",\"mode\":\"throttle\"}").statusCode());
        HttpResponse<String> email = post("/sandbox/email/messages", unique("key"), null,
                "{\"reference\":\"" + reference + "\"}");
        assertProblem(email, 429, "downstream-throttled");
        assertEquals("1", email.headers().firstValue("Retry-After").orElseThrow());
        // the key was not claimed either
        assertProblem(send("GET", "/sandbox/payments/requests/" + pathSegment(key), null, null, null), 404,
                "request-not-found");

        assertEquals(204, send("DELETE", "/sandbox/faults", null, null, null).statusCode());
        // the retry with the same key performs the effect: it is the first, and the only entry in the ledger
        HttpResponse<String> retried = post("/sandbox/payments/captures", key, null, body);
        assertEquals(201, retried.statusCode(), retried.body());
        assertFalse(retried.headers().firstValue("Idempotent-Replayed").isPresent());
        assertFalse(retried.headers().firstValue("Retry-After").isPresent());
        assertEquals(List.of("payment.capture"), operations(ledger(reference)));
    }

    @Test
    void aThrottleAtRateZeroLetsEveryCallThrough() throws Exception {
        String reference = unique("LEAD");
        assertEquals(204, fault("{\"system\":\"crm\",\"mode\":\"throttle\",\"rate\":0}").statusCode());
        for (int i = 0; i < 3; i++) {
            assertEquals(201, post("/sandbox/crm/notes", unique("key"), null,
                    "{\"reference\":\"" + reference + "\"}").statusCode());
        }
        assertEquals(3, ledger(reference).size());
    }

    @Test
    void aFaultOfOneOperationLeavesTheOtherOperationsOfItsSystemWorking() throws Exception {
        String reference = unique("ORD");
        String refundKey = unique("key");
        String refund = "{\"reference\":\"" + reference + "\",\"paymentId\":\"PAY-1\"}";
        assertEquals(204, fault("{\"system\":\"payments\",\"operation\":\"payment.refund\",\"mode\":\"down\"}")
                .statusCode());

        HttpResponse<String> refused = post("/sandbox/payments/refunds", refundKey, null, refund);
        assertProblem(refused, 503, "downstream-down");
        assertTrue(detail(refused).contains("payment.refund"), refused.body());
        // the capture after the refused refund works, and its entry is the only one
        assertEquals(201, post("/sandbox/payments/captures", unique("key"), null,
                "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":4990}").statusCode());
        assertEquals(List.of("payment.capture"), operations(ledger(reference)));

        assertEquals(204, send("DELETE", "/sandbox/faults", null, null, null).statusCode());
        assertEquals(201, post("/sandbox/payments/refunds", refundKey, null, refund).statusCode());
        assertEquals(List.of("payment.capture", "payment.refund"), operations(ledger(reference)));
    }

    @Test
    void anOperationsFaultTakesPrecedenceOverItsSystemsAndAllAreListed() throws Exception {
        String reference = unique("ORD");
        String capture = "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":4990}";
        assertEquals(204, fault("{\"system\":\"payments\",\"mode\":\"down\"}").statusCode());
        assertEquals(204, fault("{\"system\":\"payments\",\"operation\":\"payment.capture\",\"mode\":\"error\"}")
                .statusCode());
        assertEquals(204, fault("{\"system\":\"erp\",\"operation\":\"invoice.cancel\",\"mode\":\"down\"}")
                .statusCode());
        // a new fault of an operation replaces that operation's fault only
        assertEquals(204, fault("{\"system\":\"payments\",\"operation\":\"payment.capture\",\"mode\":\"throttle\","
                + "\"retryAfterSeconds\":30}").statusCode());

        HttpResponse<String> throttled = post("/sandbox/payments/captures", unique("key"), null, capture);
        assertProblem(throttled, 429, "downstream-throttled");
        assertEquals("30", throttled.headers().firstValue("Retry-After").orElseThrow());
        HttpResponse<String> down = post("/sandbox/payments/refunds", unique("key"), null,
                "{\"reference\":\"" + reference + "\",\"paymentId\":\"PAY-1\"}");
        assertProblem(down, 503, "downstream-down");
        assertTrue(detail(down).contains("payments sandbox is down"), down.body());
        // the erp's other operations are unaffected; its entry follows the refused calls
        assertEquals(201, post("/sandbox/erp/invoices", unique("key"), null, "{\"reference\":\"" + reference + "\"}")
                .statusCode());
        assertEquals(List.of("invoice.create"), operations(ledger(reference)));

        HttpResponse<String> listed = send("GET", "/sandbox/faults", null, null, null);
        assertEquals(200, listed.statusCode());
        assertEquals(JSON.readTree("["
                + "{\"system\":\"erp\",\"operation\":\"invoice.cancel\",\"mode\":\"down\",\"rate\":1.0,"
                + "\"delayMs\":2000,\"retryAfterSeconds\":1},"
                + "{\"system\":\"payments\",\"mode\":\"down\",\"rate\":1.0,\"delayMs\":2000,\"retryAfterSeconds\":1},"
                + "{\"system\":\"payments\",\"operation\":\"payment.capture\",\"mode\":\"throttle\",\"rate\":1.0,"
                + "\"delayMs\":2000,\"retryAfterSeconds\":30}]"), JSON.readTree(listed.body()));

        assertEquals(204, send("DELETE", "/sandbox/faults", null, null, null).statusCode());
        assertEquals(JSON.readTree("[]"), JSON.readTree(send("GET", "/sandbox/faults", null, null, null).body()));
        assertEquals(201, post("/sandbox/payments/captures", unique("key"), null, capture).statusCode());
        assertEquals(List.of("invoice.create", "payment.capture"), operations(ledger(reference)));

        JsonNode injected = new AdminClient(hookrail.baseUrl(), AdminClient.VIEWER_TOKEN)
                .get("/api/audit?action=sandbox.fault.injected&subject=erp");
        assertEquals("invoice.cancel", injected.path("items").get(0).path("detail").path("fault").path("operation")
                .asText(), injected.toString());
    }

    @Test
    void invalidOperationsAndRetryAfterSecondsAreRefusedWith400() throws Exception {
        HttpResponse<String> unknown = fault("{\"system\":\"payments\",\"operation\":\"payment.teleport\","
                + "\"mode\":\"down\"}");
        assertProblem(unknown, 400, "invalid-request");
        assertTrue(detail(unknown).contains("[payment.capture, payment.refund]"), unknown.body());
        HttpResponse<String> ofAnotherSystem = fault("{\"system\":\"payments\",\"operation\":\"invoice.create\","
                + "\"mode\":\"down\"}");
        assertProblem(ofAnotherSystem, 400, "invalid-request");
        assertTrue(detail(ofAnotherSystem).contains("[payment.capture, payment.refund]"), ofAnotherSystem.body());
        assertProblem(fault("{\"system\":\"payments\",\"operation\":42,\"mode\":\"down\"}"), 400,
                "invalid-request");
        for (String retryAfter : List.of("-1", "3601", "1.5", "\"5\"")) {
            HttpResponse<String> refused = fault("{\"system\":\"payments\",\"mode\":\"throttle\","
                    + "\"retryAfterSeconds\":" + retryAfter + "}");
            assertProblem(refused, 400, "invalid-request");
            assertTrue(detail(refused).contains("retryAfterSeconds must be an integer from 0 to 3600"), refused.body());
        }
        HttpResponse<String> badMode = fault("{\"system\":\"payments\",\"mode\":\"sideways\"}");
        assertTrue(detail(badMode).contains("throttle"), badMode.body());
        assertEquals(JSON.readTree("[]"), JSON.readTree(send("GET", "/sandbox/faults", null, null, null).body()));

        // the bounds themselves are allowed
        assertEquals(204, fault("{\"system\":\"payments\",\"operation\":\"payment.refund\",\"mode\":\"throttle\","
                + "\"retryAfterSeconds\":3600}").statusCode());
        assertEquals(204, fault("{\"system\":\"payments\",\"mode\":\"throttle\",\"retryAfterSeconds\":0}")
                .statusCode());
        HttpResponse<String> now = post("/sandbox/payments/captures", unique("key"), null,
                "{\"reference\":\"" + unique("ORD") + "\",\"currency\":\"EUR\",\"amountMinor\":1}");
        assertProblem(now, 429, "downstream-throttled");
        assertEquals("0", now.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(2, JSON.readTree(send("GET", "/sandbox/faults", null, null, null).body()).size());
    }

    @Test
    void aCallThatPerformedItsEffectIsFoundByItsIdempotencyKey() throws Exception {
        String reference = unique("ORD");
        // the key is one path segment, URL-encoded, whatever characters it has
        String key = "order/" + reference + " capture?#%+&";
        HttpResponse<String> capture = post("/sandbox/payments/captures", key, null,
                "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":4990}");
        assertEquals(201, capture.statusCode(), capture.body());

        HttpResponse<String> found = send("GET", "/sandbox/payments/requests/" + pathSegment(key), null, "corr-look",
                null);
        assertEquals(200, found.statusCode(), found.body());
        assertEquals("application/json", found.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("corr-look", found.headers().firstValue("X-Correlation-Id").orElseThrow());
        JsonNode answer = JSON.readTree(found.body());
        assertEquals(Set.of("system", "idempotencyKey", "status", "response", "at"), fieldNames(answer));
        assertEquals("payments", answer.get("system").asText());
        assertEquals(key, answer.get("idempotencyKey").asText());
        assertEquals(201, answer.get("status").asInt());
        assertEquals(JSON.readTree(capture.body()), answer.get("response"));
        assertEquals(Instant.parse(ledger(reference).get(0).get("at").asText()),
                Instant.parse(answer.get("at").asText()));
        assertEquals(Optional.of(201), new SandboxClient(hookrail.baseUrl()).request("payments", key)
                .map(SandboxClient.StoredRequest::status));
    }

    @Test
    void aKeyNoCallPerformedItsEffectWithIsNotFound() throws Exception {
        String reference = unique("ORD");
        String key = unique("key");
        // keys are scoped per system: a payments key is no email request
        assertEquals(201, post("/sandbox/payments/captures", key, null,
                "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":4990}").statusCode());
        HttpResponse<String> otherSystem = send("GET", "/sandbox/email/requests/" + key, null, null, null);
        assertProblem(otherSystem, 404, "request-not-found");
        assertTrue(detail(otherSystem).contains(key), otherSystem.body());
        assertProblem(send("GET", "/sandbox/payments/requests/" + unique("never"), null, null, null), 404,
                "request-not-found");
        // a refused call claimed nothing
        String refusedKey = unique("key");
        assertProblem(post("/sandbox/payments/captures", refusedKey, null, "{\"reference\":\"" + reference + "\"}"),
                400, "invalid-request");
        assertProblem(send("GET", "/sandbox/payments/requests/" + refusedKey, null, null, null), 404,
                "request-not-found");
        assertEquals(201, post("/sandbox/payments/captures", refusedKey, null,
                "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":1}").statusCode());
        assertEquals(200, send("GET", "/sandbox/payments/requests/" + refusedKey, null, null, null).statusCode());
        HttpResponse<String> unknownSystem = send("GET", "/sandbox/warehouse/requests/" + key, null, null, null);
        assertProblem(unknownSystem, 404, "unknown-system");
        assertTrue(detail(unknownSystem).contains("[crm, email, erp, payments]"), unknownSystem.body());
    }

    @Test
    void theLookupIsNotSubjectToFaults() throws Exception {
        String key = unique("key");
        assertEquals(201, post("/sandbox/payments/captures", key, null,
                "{\"reference\":\"" + unique("ORD") + "\",\"currency\":\"EUR\",\"amountMinor\":4990}").statusCode());
        assertEquals(204, fault("{\"system\":\"payments\",\"mode\":\"down\"}").statusCode());
        assertEquals(200, send("GET", "/sandbox/payments/requests/" + key, null, null, null).statusCode());
        assertEquals(204, fault("{\"system\":\"payments\",\"mode\":\"throttle\"}").statusCode());
        assertEquals(200, send("GET", "/sandbox/payments/requests/" + key, null, null, null).statusCode());
    }

    @Test
    void aSlowSystemCompletesTheEffectAfterACallerThatGaveUp() throws Exception {
        String reference = unique("ORD");
        String key = unique("key");
        String body = "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":4990}";
        SandboxClient sandbox = new SandboxClient(hookrail.baseUrl());
        assertEquals(204, fault("{\"system\":\"payments\",\"operation\":\"payment.capture\",\"mode\":\"slow\","
                + "\"delayMs\":1500}").statusCode());

        HttpRequest impatient = HttpRequest.newBuilder(URI.create(hookrail.baseUrl() + "/sandbox/payments/captures"))
                .timeout(Duration.ofMillis(300)).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        assertThrows(HttpTimeoutException.class, () -> http.send(impatient, HttpResponse.BodyHandlers.ofString()));

        // the caller that gave up learns what happened by the lookup, as it would from a real payment API
        assertTrue(Await.until(() -> sandbox.request("payments", key).isPresent()), "the capture never completed");
        assertEquals(List.of("payment.capture"), operations(ledger(reference)));
        assertEquals(204, send("DELETE", "/sandbox/faults", null, null, null).statusCode());
        HttpResponse<String> retried = post("/sandbox/payments/captures", key, null, body);
        assertEquals(201, retried.statusCode(), retried.body());
        assertEquals("true", retried.headers().firstValue("Idempotent-Replayed").orElseThrow());
        assertEquals(sandbox.request("payments", key).orElseThrow().response(), JSON.readTree(retried.body()));
        assertEquals(1, ledger(reference).size());
    }

    @Test
    void theLedgerAndStoredResponsesSurviveARestartOnTheSameDataDirectory() throws Exception {
        String reference = unique("ORD");
        String key = unique("key");
        String body = "{\"reference\":\"" + reference + "\",\"currency\":\"EUR\",\"amountMinor\":4990}";
        HttpResponse<String> first = post("/sandbox/payments/captures", key, "corr-before", body);
        assertEquals(201, first.statusCode(), first.body());

        String dataDir = hookrail.dataDir().toString();
        hookrail.close();
        hookrail = null;
        hookrail = HookrailInstance.builder().database(database).property("hookrail.data.dir", dataDir).start();

        JsonNode entries = ledger(reference);
        assertEquals(1, entries.size(), entries.toString());
        assertEquals(key, entries.get(0).get("idempotencyKey").asText());
        assertEquals("corr-before", entries.get(0).get("correlationId").asText());
        HttpResponse<String> again = post("/sandbox/payments/captures", key, null, body);
        assertEquals(201, again.statusCode());
        assertEquals(first.body(), again.body());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElseThrow());
        assertEquals(1, ledger(reference).size());
    }

    // --- helpers ---

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    HttpResponse<String> post(String path, String key, String correlationId, String body) throws Exception {
        return send("POST", path, key, correlationId, body);
    }

    HttpResponse<String> fault(String body) throws Exception {
        return send("POST", "/sandbox/faults", null, null, body);
    }

    HttpResponse<String> send(String method, String path, String key, String correlationId, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hookrail.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        if (correlationId != null) {
            request.header("X-Correlation-Id", correlationId);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ledger(String businessId) throws Exception {
        HttpResponse<String> response = send("GET", "/sandbox/ledger?businessId="
                + URLEncoder.encode(businessId, StandardCharsets.UTF_8), null, null, null);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        JsonNode page = JSON.readTree(response.body());
        assertEquals(page.path("items").size(), page.path("total").asInt(), response.body());
        return page.path("items");
    }

    static List<String> operations(JsonNode entries) {
        List<String> operations = new ArrayList<>();
        entries.forEach(entry -> operations.add(entry.get("operation").asText()));
        return operations;
    }

    static boolean entryWithoutCorrelationHasNull(JsonNode entry) {
        return entry.has("correlationId") && entry.get("correlationId").isNull();
    }

    /** The key as one URL path segment: percent-encoded, a space as %20 rather than the form encoding's +. */
    static String pathSegment(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String detail(HttpResponse<String> problem) throws Exception {
        return JSON.readTree(problem.body()).path("detail").asText();
    }

    static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static void assertProblem(HttpResponse<String> response, int status, String type) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.headers().firstValue("X-Correlation-Id").isPresent());
        JsonNode problem = JSON.readTree(response.body());
        assertEquals("urn:hookrail:problem:" + type, problem.get("type").asText(), response.body());
        assertEquals(status, problem.get("status").asInt());
    }
}

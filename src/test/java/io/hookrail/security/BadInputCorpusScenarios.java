package io.hookrail.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.security.BadInputCorpus.BadInput;
import io.hookrail.security.BadInputCorpus.Send;
import io.hookrail.support.AdminClient;
import io.hookrail.support.EventQueue;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.RawHttp;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-input corpus ({@link BadInputCorpus}) against one running Hookrail: every case answered with its documented
 * 4xx (problem+json unless the HTTP codec refused the bytes before any route), never a 5xx, never accepted; then
 * nothing of it is on a flow's queue, in the ingest receipts, the sandbox ledger, the dead letters or the audit trail,
 * a valid delivery sent afterwards is accepted and runs, and the instance is ready. The figure is printed. Each
 * subclass picks the database (a NUL in an id reaches PostgreSQL differently from H2).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class BadInputCorpusScenarios {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The flow queues a watcher reads, one per event type: a copy of every event published. */
    private static final List<String> EVENT_TYPES = List.of("order.placed", "invoice.paid", "lead.qualified",
            "refund.requested");

    TestDatabase database;
    HookrailInstance hookrail;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final Map<String, EventQueue> watchers = new LinkedHashMap<>();
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger serverErrors = new AtomicInteger();
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger vertxServerErrors = new AtomicInteger();
    final AtomicInteger httpServerAnswers = new AtomicInteger();
    final List<String> wrong = new ArrayList<>();
    long receiptsBefore;
    long auditBefore;

    abstract TestDatabase database();

    @BeforeAll
    void startHookrail() throws Exception {
        database = database();
        hookrail = HookrailInstance.builder()
                .database(database)
                .property("hookrail.sources", "shop,payments,crm,support,forge,tiny")
                .property("hookrail.source.forge.scheme", "github")
                .property("hookrail.source.forge.secret", BadInputCorpus.FORGE_SECRET)
                .property("hookrail.source.forge.eventTypes", "lead.qualified")
                .property("hookrail.source.tiny.scheme", "standard-webhooks")
                .property("hookrail.source.tiny.secret", BadInputCorpus.TINY_SECRET)
                .property("hookrail.source.tiny.eventTypes", "order.placed")
                // the corpus is sent from one address as fast as it goes: the limits are out of its way, but for the
                // tiny source, whose one token the rate-limit cases use up
                .property("hookrail.ingest.rateLimit.perSecond", "100000")
                .property("hookrail.ingest.rateLimit.burst", "100000")
                .property("hookrail.source.tiny.rateLimit.perSecond", "0.0001")
                .property("hookrail.source.tiny.rateLimit.burst", "1")
                .property("hookrail.ingest.clientRateLimit.perSecond", "100000")
                .property("hookrail.ingest.clientRateLimit.burst", "100000")
                .start();
        for (String type : EVENT_TYPES) {
            watchers.put(type, new EventQueue(hookrail.brokerUrl(), "corpus-watch", type));
        }
        receiptsBefore = receipts();
        auditBefore = auditTotal();
    }

    @AfterAll
    void stopHookrail() throws JMSException {
        for (EventQueue watcher : watchers.values()) {
            watcher.close();
        }
        if (hookrail != null) {
            hookrail.close();
        }
        database.close();
    }

    static Stream<BadInput> corpus() {
        return BadInputCorpus.all().stream();
    }

    @Test
    @Order(0)
    void theCorpusHoldsAtLeast300Cases() {
        assertTrue(BadInputCorpus.all().size() >= 300, "only " + BadInputCorpus.all().size() + " cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Order(1)
    void eachBadInputGetsItsDocumented4xx(BadInput input) throws Exception {
        Send request = input.send().get();
        RawHttp.Answer answer;
        try {
            answer = send(request);
        } catch (java.io.IOException e) {
            throw new AssertionError(input + ": no answer", e);
        }
        sent.incrementAndGet();
        if (answer.status() >= 500) {
            (input.status() >= 500 ? vertxServerErrors : serverErrors).incrementAndGet();
        }
        if (answer.status() / 100 == 2) {
            accepted.incrementAndGet();
        }
        String shown = input + " got " + answer.status() + " " + answer.header("content-type") + " " + bounded(answer.text());
        if (answer.status() != input.status()) {
            wrong.add(input + ": got " + shown);
        }
        assertEquals(input.status(), answer.status(), shown);
        if (input.answer() == BadInputCorpus.Answer.ROUTER) {
            httpServerAnswers.incrementAndGet();
            return;
        }
        if (input.answer() == BadInputCorpus.Answer.HTTP_SERVER) {
            // refused by Vert.x's decoder before any route: Hookrail's invalid-request handler answers in
            // problem+json, except a dropped connection and the 501 Vert.x sends an unknown HTTP version itself
            if (input.status() == 0 || input.status() >= 500) {
                httpServerAnswers.incrementAndGet();
                return;
            }
        }
        assertEquals("application/problem+json", answer.header("content-type"), shown);
        assertTrue(answer.header("x-correlation-id") != null || request.listener() == BadInputCorpus.Listener.MANAGEMENT, "no X-Correlation-Id: " + shown);
        JsonNode problem = JSON.readTree(answer.body());
        assertEquals(input.status(), problem.path("status").asInt(), shown);
        assertFalse(problem.path("title").asText().isBlank(), shown);
        assertFalse(problem.path("detail").asText().isBlank(), shown);
        assertTrue(problem.path("type").asText().startsWith("urn:hookrail:problem:"), shown);
        assertTrue(problem.path("detail").asText().length() <= 600, "an unbounded echo: " + shown);
    }

    @Test
    @Order(2)
    void nothingOfTheCorpusWasAcceptedAndTheInstanceStillWorks() throws Exception {
        int cases = BadInputCorpus.all().size();
        assertEquals(cases, sent.get(), "every case was sent");
        assertEquals(0, serverErrors.get(), "5xx answers: " + wrong);
        assertEquals(0, accepted.get(), "accepted: " + wrong);
        // nothing recorded as seen, held, dead-lettered, injected or audited
        assertEquals(receiptsBefore, receipts(), "ingest receipts written by the corpus");
        AdminClient viewer = new AdminClient(hookrail.baseUrl(), AdminClient.VIEWER_TOKEN);
        assertEquals(0, viewer.get("/api/dlq").path("total").asInt(), "dead letters");
        assertEquals(0, viewer.get("/api/approvals").path("total").asInt(), "approvals");
        assertEquals(auditBefore, auditTotal(), "audit entries written by the corpus");
        SandboxClient sandbox = new SandboxClient(hookrail.baseUrl());
        assertEquals(List.of(), sandbox.ledger(""), "sandbox side effects of the corpus");
        assertEquals("[]", http.send(HttpRequest.newBuilder(URI.create(hookrail.baseUrl() + "/sandbox/faults")).build(),
                HttpResponse.BodyHandlers.ofString()).body(), "sandbox faults injected by the corpus");

        // the positive marker: a valid delivery afterwards is accepted and runs; it is the only event published
        String orderId = "ORD-CORPUS-" + UUID.randomUUID();
        String eventId = "msg_" + UUID.randomUUID();
        HttpResponse<String> marker = new WebhookSender(hookrail.baseUrl()).standardWebhooks("shop",
                GoldenEvents.SHOP_SECRET, eventId, GoldenEvents.withField("shop-order-placed-small.json", "orderId",
                        orderId));
        assertEquals(202, marker.statusCode(), marker.body());
        TextMessage published = watchers.get("order.placed").receive(30_000);
        assertTrue(published != null, "the marker was not published");
        assertEquals(eventId, published.getStringProperty("eventId"), "a corpus event was published before the marker");
        for (Map.Entry<String, EventQueue> watcher : watchers.entrySet()) {
            List<String> ids = new ArrayList<>();
            for (TextMessage message : watcher.getValue().drain(500)) {
                ids.add(message.getStringProperty("eventId"));
            }
            assertEquals(List.of(), ids, "published on " + watcher.getKey() + " besides the marker");
        }
        assertEquals(List.of("invoice.create", "payment.capture", "email.send"),
                sandbox.awaitOperations(orderId, ops -> ops.size() >= 3), "the marker ran");
        assertEquals(3, sandbox.ledger("").size(), "side effects besides the marker's");
        assertEquals(receiptsBefore + 1, receipts());

        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(hookrail.managementUrl()
                + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("UP", JSON.readTree(ready.body()).path("status").asText(), ready.body());

        System.out.printf("bad-input corpus (" + (database.isPostgres() ? "PostgreSQL" : "H2") + "): %d cases, %d accepted, %d 5xx from Hookrail; %d answered problem+json by "
                + "Hookrail, %d answered bare by Vert.x before any route (a malformed %%-escape, a dropped chunked body; %d 5xx: 501 to"
                + " an unknown HTTP version)%n",
                sent.get(), accepted.get(), serverErrors.get(), sent.get() - httpServerAnswers.get(),
                httpServerAnswers.get(), vertxServerErrors.get());
    }

    private RawHttp.Answer send(Send send) throws Exception {
        int port = URI.create(send.listener() == BadInputCorpus.Listener.MANAGEMENT ? hookrail.managementUrl()
                : hookrail.baseUrl()).getPort();
        if (send.raw() != null) {
            return RawHttp.exchange(port, send.raw());
        }
        RawHttp.Request request = send.request();
        if (request.body() != null && request.body().length > 256 << 10) {
            // over the body limit the server answers before it read the body: HttpClient copes with that
            return viaHttpClient(port, request);
        }
        return RawHttp.exchange(port, request.bytes(port));
    }

    private RawHttp.Answer viaHttpClient(int port, RawHttp.Request request) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + request.target()))
                .timeout(Duration.ofSeconds(30))
                .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(header -> builder.header(header.getKey(), header.getValue()));
        HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values));
        return new RawHttp.Answer(response.statusCode(), headers, response.body());
    }

    private long receipts() throws SQLException {
        DataSource dataSource = hookrail.camelContext().getRegistry().findSingleByType(DataSource.class);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM ingest_receipt")) {
            count.next();
            return count.getLong(1);
        }
    }

    private long auditTotal() {
        return new AdminClient(hookrail.baseUrl(), AdminClient.VIEWER_TOKEN).get("/api/audit?size=1").path("total")
                .asLong();
    }

    private static String bounded(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}

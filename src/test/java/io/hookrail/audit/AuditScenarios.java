package io.hookrail.audit;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.ds.PGSimpleDataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit trail in a running Hookrail: entries appended through the {@code auditTrail} bean, read and verified over
 * the admin API, tampered with directly in the database; each subclass picks the database. One Hookrail serves every
 * test, so each test uses actors and subjects of its own, and restores what it tampered with.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuditScenarios {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String VIEWER = "demo-viewer-token";
    static final List<String> DEMO_TOKENS = List.of(VIEWER, "demo-operator-token", "demo-approver-token",
            "demo-approver2-token");

    TestDatabase database;
    HookrailInstance hookrail;
    AuditTrail trail;
    /** The database as another client sees it: for tampering, and for a second trail as another instance would. */
    DataSource outside;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    abstract TestDatabase database();

    @BeforeAll
    void startHookrail() {
        database = database();
        hookrail = HookrailInstance.builder().database(database).start();
        trail = hookrail.camelContext().getRegistry().lookupByNameAndType("auditTrail", AuditTrail.class);
        assertNotNull(trail, "no auditTrail bean");
        if (database.isPostgres()) {
            PGSimpleDataSource postgres = new PGSimpleDataSource();
            postgres.setURL(database.jdbcUrl());
            outside = postgres;
        } else {
            // the embedded H2 file belongs to the running instance: reach it through its own pool
            outside = hookrail.camelContext().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        }
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
        database.close();
    }

    @Test
    void entriesAreListedWithFiltersNewestFirst() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String alice = "alice-" + run;
        String order = "ORD-" + run;
        trail.append(alice, "approval.approved", order, "cid-" + run, Map.of("amountMinor", 60000, "currency", "EUR"));
        nextMillisecond(); // the time filters below tell the entries apart by their millisecond
        trail.append("system", "policy.decision", order, "cid-" + run, Map.of("rule", "refund-over-500"));
        trail.append(alice, "dlq.replay", "ID:" + run, null, Map.of("flow", "order-fulfilment"));

        JsonNode byAlice = getOk("/api/audit?actor=" + alice);
        assertEquals(2, byAlice.get("total").asLong(), byAlice.toString());
        assertEquals(0, byAlice.get("page").asInt());
        assertEquals(50, byAlice.get("size").asInt());
        JsonNode newest = byAlice.get("items").get(0);
        JsonNode older = byAlice.get("items").get(1);
        assertEquals("dlq.replay", newest.get("action").asText());
        assertTrue(newest.get("correlationId").isNull());
        assertEquals("order-fulfilment", newest.get("detail").get("flow").asText());
        assertEquals("approval.approved", older.get("action").asText());
        assertTrue(newest.get("seq").asLong() > older.get("seq").asLong());
        assertEquals(order, older.get("subject").asText());
        assertEquals("cid-" + run, older.get("correlationId").asText());
        assertEquals(60000, older.get("detail").get("amountMinor").asInt(), "detail is an object, not text");
        assertEquals(64, older.get("hash").asText().length());
        assertEquals(64, older.get("prevHash").asText().length());
        Instant at = Instant.parse(older.get("at").asText());

        JsonNode onOrder = getOk("/api/audit?subject=" + order + "&action=policy.decision");
        assertEquals(1, onOrder.get("total").asLong());
        assertEquals("system", onOrder.get("items").get(0).get("actor").asText());

        JsonNode secondPage = getOk("/api/audit?actor=" + alice + "&size=1&page=1");
        assertEquals(1, secondPage.get("items").size());
        assertEquals(older.get("seq"), secondPage.get("items").get(0).get("seq"));
        assertEquals(2, secondPage.get("total").asLong());

        // from inclusive, to exclusive; an offset's '+' sent unencoded is taken back from the space it became
        JsonNode fromOlder = getOk("/api/audit?actor=" + alice + "&from=" + at + "&to=" + at.plusMillis(1));
        assertEquals(1, fromOlder.get("total").asLong(), fromOlder.toString());
        String plusTwo = OffsetDateTime.ofInstant(at, ZoneOffset.ofHours(2)).toString();
        assertEquals(2, getOk("/api/audit?actor=" + alice + "&from=" + plusTwo).get("total").asLong());
        assertEquals(2, getOk("/api/audit?actor=" + alice + "&from="
                + URLEncoder.encode(plusTwo, StandardCharsets.UTF_8)).get("total").asLong());
        assertEquals(0, getOk("/api/audit?actor=" + alice + "&to=" + at).get("total").asLong());
    }

    @Test
    void badQueriesAre400() throws Exception {
        for (String query : List.of("size=501", "size=0", "page=-1", "page=x", "from=yesterday",
                "from=2026-11-24T00:00:00Z&to=2026-11-23T00:00:00Z", "actor=a&actor=b")) {
            HttpResponse<String> response = get("/api/audit?" + query, VIEWER);
            assertEquals(400, response.statusCode(), query + ": " + response.body());
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
            assertEquals(400, JSON.readTree(response.body()).get("status").asInt());
        }
        assertEquals(500, getOk("/api/audit?size=500").get("size").asInt());
    }

    @Test
    void verifyNamesTheEntryChangedOrDeletedInTheDatabase() throws Exception {
        String actor = "approver-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 1; i <= 3; i++) {
            trail.append(actor, "approval.approved", "RF-" + i, null, Map.of("amountMinor", i * 100));
        }
        JsonNode valid = getOk("/api/audit/verify");
        assertTrue(valid.get("valid").asBoolean(), valid.toString());
        assertEquals(trail.getEntryCount(), valid.get("entries").asLong());
        assertEquals(Set.of("valid", "entries"), fieldNames(valid));

        JsonNode middle = getOk("/api/audit?actor=" + actor).get("items").get(1);
        long seq = middle.get("seq").asLong();

        // detail
        update("UPDATE audit_entry SET detail = ? WHERE seq = ?", "{\"amountMinor\":1}", seq);
        assertBroken(seq, "hash mismatch");
        update("UPDATE audit_entry SET detail = ? WHERE seq = ?", middle.get("detail").toString(), seq);
        assertTrue(getOk("/api/audit/verify").get("valid").asBoolean(), "restored detail verifies again");

        // actor
        update("UPDATE audit_entry SET actor = ? WHERE seq = ?", "mallory", seq);
        assertBroken(seq, "hash mismatch");
        update("UPDATE audit_entry SET actor = ? WHERE seq = ?", actor, seq);
        assertTrue(getOk("/api/audit/verify").get("valid").asBoolean());

        // the whole row
        update("DELETE FROM audit_entry WHERE seq = ?", seq);
        assertBroken(seq, "seq gap");
        update("INSERT INTO audit_entry (seq, at, actor, action, subject, correlation_id, detail, prev_hash, hash)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", seq,
                OffsetDateTime.ofInstant(Instant.parse(middle.get("at").asText()), ZoneOffset.UTC), actor,
                middle.get("action").asText(), middle.get("subject").asText(), null, middle.get("detail").toString(),
                middle.get("prevHash").asText(), middle.get("hash").asText());
        JsonNode restored = getOk("/api/audit/verify");
        assertTrue(restored.get("valid").asBoolean(), restored.toString());
    }

    @Test
    void concurrentAppendsThroughTheBeanAndASecondTrailStayOneChain() throws Exception {
        // the second trail stands for another Hookrail instance on the same database
        AuditTrail other = new AuditTrail(outside, Clock.systemUTC());
        String run = UUID.randomUUID().toString().substring(0, 8);
        long before = trail.getLastSeq();
        int threads = 10;
        int each = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            AuditTrail mine = t % 2 == 0 ? trail : other;
            String actor = "thread-" + t + "-" + run;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    mine.append(actor, "test.append", "n-" + i, null, Map.of("i", i));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();

        assertEquals(before + threads * each, trail.getLastSeq());
        AuditVerification verification = trail.verify();
        assertTrue(verification.valid(), verification.toString());
        assertEquals(trail.getEntryCount(), verification.entries());
        JsonNode verified = getOk("/api/audit/verify");
        assertTrue(verified.get("valid").asBoolean(), verified.toString());
        for (int t = 0; t < threads; t++) {
            assertEquals(each, getOk("/api/audit?actor=thread-" + t + "-" + run).get("total").asLong());
        }
    }

    @Test
    void withoutAValidTokenIs401AndEveryRoleMayRead() throws Exception {
        for (String path : List.of("/api/audit", "/api/audit/verify")) {
            for (String authorization : new String[] {null, "", "Bearer", "Bearer wrong-token", VIEWER,
                    "Basic dXNlcjpwYXNz"}) {
                HttpResponse<String> response = send(path, authorization);
                String what = path + " with Authorization " + authorization;
                assertEquals(401, response.statusCode(), what + ": " + response.body());
                assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""),
                        what);
                assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), what);
                assertTrue(response.headers().firstValue("X-Correlation-Id").isPresent(), what);
                assertFalse(response.body().contains("\"items\""), what);
            }
            for (String token : DEMO_TOKENS) {
                HttpResponse<String> response = get(path, token);
                assertEquals(200, response.statusCode(), path + " as " + token + ": " + response.body());
                assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
            }
        }
    }

    @Test
    void jmxShowsTheEntryCountAndVerifies() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        List<ObjectName> names = server.queryNames(new ObjectName("org.apache.camel:type=services,*"), null).stream()
                .filter(name -> name.getKeyProperty("name").contains("AuditTrail")).toList();
        assertEquals(1, names.size(), names.toString());
        trail.append("system", "test.jmx", "mbean", null, null);
        assertEquals(trail.getEntryCount(), ((Number) server.getAttribute(names.get(0), "EntryCount")).longValue());
        String verification = (String) server.invoke(names.get(0), "verifyChain", new Object[0], new String[0]);
        assertTrue(JSON.readTree(verification).get("valid").asBoolean(), verification);
    }

    static void nextMillisecond() {
        long now = System.currentTimeMillis();
        while (System.currentTimeMillis() == now) {
            Thread.onSpinWait();
        }
    }

    void assertBroken(long seq, String problem) throws Exception {
        JsonNode verification = getOk("/api/audit/verify");
        assertFalse(verification.get("valid").asBoolean(), verification.toString());
        assertEquals(seq, verification.get("firstBrokenSeq").asLong(), verification.toString());
        assertTrue(verification.get("problem").asText().startsWith(problem), verification.toString());
        assertTrue(verification.get("entries").asLong() > 0, verification.toString());
    }

    void update(String sql, Object... parameters) throws SQLException {
        try (Connection connection = outside.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            assertEquals(1, statement.executeUpdate(), sql);
        }
    }

    JsonNode getOk(String path) throws Exception {
        HttpResponse<String> response = get(path, VIEWER);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        return send(path, "Bearer " + token);
    }

    HttpResponse<String> send(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hookrail.baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

package io.hookrail.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.ops.HttpAnswers;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit trail's chain, queries and tamper detection on a real (in-memory H2) store migrated by the production scripts. */
class AuditTrailTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private JdbcDataSource dataSource;
    private AuditTrail trail;

    @BeforeEach
    void migrate() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        trail = new AuditTrail(dataSource, clock);
    }

    // --- the chain

    @Test
    void emptyTrailIsValid() {
        assertEquals(AuditVerification.intact(0), trail.verify());
        assertEquals(0, trail.getEntryCount());
        assertEquals(0, trail.getLastSeq());
    }

    @Test
    void appendsFormAChainThatVerifies() throws Exception {
        trail.append("alice", "approval.approved", "RF-501", "cid-1", Map.of("amountMinor", 60000, "currency", "EUR"));
        clock.advance(Duration.ofMillis(1500));
        trail.append("system", "policy.decision", "RF-501", null, Map.of("rule", "refund-over-500"));
        clock.advance(Duration.ofSeconds(1));
        trail.append("flow:refund", "downstream.call", "RF-501", "cid-1", null);

        List<AuditEntry> entries = trail.list(AuditQuery.newest()).items();
        assertEquals(List.of(3L, 2L, 1L), entries.stream().map(AuditEntry::seq).toList(), "newest first");
        AuditEntry first = entries.get(2);
        assertEquals(AuditTrail.GENESIS_HASH, first.prevHash());
        assertEquals("0".repeat(64), first.prevHash());
        assertEquals(first.hash(), entries.get(1).prevHash());
        assertEquals(entries.get(1).hash(), entries.get(0).prevHash());
        assertEquals("{}", entries.get(0).detail());
        assertNull(entries.get(1).correlationId());

        // the documented formula, spelled out independently of the implementation
        String input = "0".repeat(64) + "\n1\n2026-11-23T10:00:00.000Z\nalice\napproval.approved\nRF-501\ncid-1\n"
                + "{\"amountMinor\":60000,\"currency\":\"EUR\"}";
        assertEquals(sha256(input), first.hash());
        String second = first.hash() + "\n2\n2026-11-23T10:00:01.500Z\nsystem\npolicy.decision\nRF-501\n\n"
                + "{\"rule\":\"refund-over-500\"}";
        assertEquals(sha256(second), entries.get(1).hash(), "a null correlation id is hashed as empty");

        assertEquals(AuditVerification.intact(3), trail.verify());
        assertEquals(3, trail.getEntryCount());
        assertEquals(3, trail.getLastSeq());
        assertEquals("{\"valid\":true,\"entries\":3}", trail.verifyChain());
    }

    @Test
    void detailIsStoredAsCanonicalJson() {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("zeta", List.of(3, 1, 2));
        detail.put("alpha", Map.of("y", true, "x", "caf\u00e9"));
        detail.put("amount", new java.math.BigDecimal("12.50"));
        detail.put("none", null);
        detail.put("when", Instant.parse("2026-11-23T10:00:00Z"));
        detail.put("node", HttpAnswers.MAPPER.createObjectNode().put("b", 1).put("a", "line\nbreak"));
        trail.append("alice", "dlq.replay", "ID:1", null, detail);

        AuditEntry entry = trail.list(AuditQuery.newest()).items().get(0);
        assertEquals("{\"alpha\":{\"x\":\"caf\\u00E9\",\"y\":true},\"amount\":12.50,\"node\":{\"a\":\"line\\nbreak\","
                + "\"b\":1},\"none\":null,\"when\":\"2026-11-23T10:00:00Z\",\"zeta\":[3,1,2]}", entry.detail());
        assertEquals("caf\u00e9", entry.detailJson().path("alpha").path("x").asText());
        assertTrue(trail.verify().valid());
    }

    @Test
    void timeIsKeptAndHashedAtMillisecondPrecision() {
        clock.set(Instant.parse("2026-11-23T10:00:00.123456789Z"));
        trail.append("alice", "dlq.replay", "ID:1", null, Map.of());
        AuditEntry entry = trail.list(AuditQuery.newest()).items().get(0);
        assertEquals(Instant.parse("2026-11-23T10:00:00.123Z"), entry.at());
        assertEquals("2026-11-23T10:00:00.123Z", entry.toJson().get("at").asText());
        assertEquals("2026-11-23T10:00:00.000Z", AuditTrail.formatInstant(Instant.parse("2026-11-23T10:00:00Z")));
        assertTrue(trail.verify().valid());
    }

    // --- queries

    @Test
    void listFiltersByActorActionSubjectAndTimeNewestFirst() {
        Instant start = clock.instant();
        for (int i = 1; i <= 6; i++) {
            String actor = i % 2 == 0 ? "alice" : "bob";
            String action = i <= 3 ? "approval.approved" : "dlq.replay";
            trail.append(actor, action, "ORD-" + (i % 3), "cid-" + i, Map.of("i", i));
            clock.advance(Duration.ofMinutes(1));
        }
        assertEquals(List.of(6L, 4L, 2L), seqs(trail.list(AuditQuery.newest().withActor("alice"))));
        assertEquals(List.of(3L, 2L, 1L), seqs(trail.list(AuditQuery.newest().withAction("approval.approved"))));
        assertEquals(List.of(4L, 1L), seqs(trail.list(AuditQuery.newest().withSubject("ORD-1"))));
        assertEquals(List.of(4L), seqs(trail.list(AuditQuery.newest().withSubject("ORD-1").withActor("alice"))));
        // from inclusive, to exclusive: entries 2 (at start+1min) to 4 (at start+3min)
        assertEquals(List.of(4L, 3L, 2L), seqs(trail.list(AuditQuery.newest()
                .between(start.plus(Duration.ofMinutes(1)), start.plus(Duration.ofMinutes(4))))));
        assertEquals(List.of(6L, 5L), seqs(trail.list(AuditQuery.newest().between(start.plus(Duration.ofMinutes(4)),
                null))));
        assertEquals(List.of(), seqs(trail.list(AuditQuery.newest().withActor("nobody"))));

        AuditPage page = trail.list(AuditQuery.newest().withPage(1, 2));
        assertEquals(List.of(4L, 3L), seqs(page));
        assertEquals(6, page.total());
        assertEquals(1, page.page());
        assertEquals(2, page.size());
        AuditPage alicePage = trail.list(AuditQuery.newest().withActor("alice").withPage(1, 2));
        assertEquals(List.of(2L), seqs(alicePage));
        assertEquals(3, alicePage.total());
        assertEquals(List.of(), seqs(trail.list(AuditQuery.newest().withPage(5, 500))));

        JsonNode json = page.toJson();
        JsonNode item = json.get("items").get(0);
        assertEquals(List.of("seq", "at", "actor", "action", "subject", "correlationId", "detail", "hash", "prevHash"),
                fieldNames(item));
        assertEquals(4, item.get("detail").get("i").asInt());
        assertEquals("cid-4", item.get("correlationId").asText());
        assertEquals(6, json.get("total").asLong());
    }

    @Test
    void queriesAreBounded() {
        assertThrows(IllegalArgumentException.class, () -> AuditQuery.newest().withPage(0, AuditQuery.MAX_SIZE + 1));
        assertThrows(IllegalArgumentException.class, () -> AuditQuery.newest().withPage(0, 0));
        assertThrows(IllegalArgumentException.class, () -> AuditQuery.newest().withPage(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> AuditQuery.newest()
                .between(Instant.parse("2026-11-24T00:00:00Z"), Instant.parse("2026-11-23T00:00:00Z")));
        assertEquals(500, AuditQuery.newest().withPage(0, 500).size());
    }

    @Test
    void appendRefusesWhatTheChainCannotHoldUnambiguously() {
        assertThrows(IllegalArgumentException.class, () -> trail.append(null, "a", "s", null, null));
        assertThrows(IllegalArgumentException.class, () -> trail.append(" ", "a", "s", null, null));
        assertThrows(IllegalArgumentException.class, () -> trail.append("alice", "", "s", null, null));
        assertThrows(IllegalArgumentException.class, () -> trail.append("alice", "a", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> trail.append("alice\nbob", "a", "s", null, null));
        assertThrows(IllegalArgumentException.class, () -> trail.append("alice", "a", "s\u0000", null, null));
        assertThrows(IllegalArgumentException.class, () -> trail.append("alice", "a", "s", "c\rid", null));
        assertThrows(IllegalArgumentException.class, () -> trail.append("alice", "a", "s\ud800", null, null));
        assertThrows(IllegalArgumentException.class, () -> trail.append("x".repeat(129), "a", "s", null, null));
        assertThrows(IllegalArgumentException.class, () -> trail.append("alice", "a".repeat(65), "s", null, null));
        assertThrows(IllegalArgumentException.class, () -> trail.append("alice", "a", "s".repeat(256), null, null));
        assertThrows(IllegalArgumentException.class, () -> trail.append("alice", "a", "s", "c".repeat(129), null));
        assertThrows(IllegalArgumentException.class, () -> trail.append("alice", "a", "s", null,
                Map.of("n", Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> trail.append("alice", "a", "s", null,
                Map.of("text", "x".repeat(70_000))));
        assertEquals(0, trail.getEntryCount(), "a refused append left a row");

        // the limits themselves fit, also in characters outside the BMP
        trail.append("x".repeat(128), "a".repeat(64), "s".repeat(255), "c".repeat(128),
                Map.of("emoji", "\ud83d\ude00"));
        trail.append("\ud83d\ude00", "a", "s", "", null);
        assertEquals(AuditVerification.intact(2), trail.verify());
    }

    // --- concurrency

    @Test
    void concurrentAppendsFromTenThreadsAndTwoTrailsFormOneUnbrokenChain() throws Exception {
        AuditTrail other = new AuditTrail(dataSource, Clock.systemUTC());
        int threads = 10;
        int each = 30;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            AuditTrail mine = t % 2 == 0 ? trail : other;
            String actor = "thread-" + t;
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

        int total = threads * each;
        assertEquals(AuditVerification.intact(total), trail.verify());
        List<AuditEntry> all = trail.list(AuditQuery.newest().withPage(0, 500)).items();
        assertEquals(total, all.size());
        List<Long> expectedSeqs = new ArrayList<>();
        for (long seq = total; seq >= 1; seq--) {
            expectedSeqs.add(seq);
        }
        assertEquals(expectedSeqs, all.stream().map(AuditEntry::seq).toList(), "no gap, no duplicate");
        Map<String, Long> perActor = all.stream().collect(Collectors.groupingBy(AuditEntry::actor,
                Collectors.counting()));
        assertEquals(threads, perActor.size());
        perActor.forEach((actor, count) -> assertEquals(each, count, actor));
        assertEquals(total, other.getLastSeq());
    }

    // --- tampering: every change made behind the trail's back is named by the entry's seq

    @Test
    void changedDetailIsNamed() throws Exception {
        appendFive();
        sql("UPDATE audit_entry SET detail = '{\"amountMinor\":1}' WHERE seq = 3");
        AuditVerification verification = trail.verify();
        assertBroken(verification, 3, "hash mismatch");
        assertEquals(5, verification.entries());
        assertTrue(trail.verifyChain().contains("\"firstBrokenSeq\":3"), trail.verifyChain());
    }

    @Test
    void changedActorIsNamed() throws Exception {
        appendFive();
        sql("UPDATE audit_entry SET actor = 'mallory' WHERE seq = 2");
        assertBroken(trail.verify(), 2, "hash mismatch");
    }

    @Test
    void changedTimeIsNamed() throws Exception {
        appendFive();
        sql("UPDATE audit_entry SET at = at + INTERVAL '1' HOUR WHERE seq = 4");
        assertBroken(trail.verify(), 4, "hash mismatch");
    }

    @Test
    void deletedEntryIsNamedBySeq() throws Exception {
        appendFive();
        sql("DELETE FROM audit_entry WHERE seq = 3");
        AuditVerification verification = trail.verify();
        assertBroken(verification, 3, "seq gap");
        assertEquals(4, verification.entries());
    }

    @Test
    void deletedFirstEntryIsNamed() throws Exception {
        appendFive();
        sql("DELETE FROM audit_entry WHERE seq = 1");
        assertBroken(trail.verify(), 1, "seq gap");
    }

    @Test
    void deletedNewestEntriesAreNamedByTheHead() throws Exception {
        appendFive();
        sql("DELETE FROM audit_entry WHERE seq >= 4");
        AuditVerification verification = trail.verify();
        assertBroken(verification, 4, "seq gap");
        assertTrue(verification.problem().contains("4 to 5"), verification.problem());
    }

    @Test
    void rewrittenEntryWithARecomputedHashBreaksTheNextLink() throws Exception {
        appendFive();
        AuditEntry third = entry(3);
        String forged = AuditTrail.chainHash(third.prevHash(), 3, third.at(), "mallory", third.action(),
                third.subject(), third.correlationId(), third.detail());
        sql("UPDATE audit_entry SET actor = 'mallory', hash = '" + forged + "' WHERE seq = 3");
        assertBroken(trail.verify(), 4, "prev_hash mismatch");
    }

    @Test
    void rewrittenNewestEntryWithARecomputedHashIsNamedByTheHead() throws Exception {
        appendFive();
        AuditEntry fifth = entry(5);
        String forged = AuditTrail.chainHash(fifth.prevHash(), 5, fifth.at(), "mallory", fifth.action(),
                fifth.subject(), fifth.correlationId(), fifth.detail());
        sql("UPDATE audit_entry SET actor = 'mallory', hash = '" + forged + "' WHERE seq = 5");
        assertBroken(trail.verify(), 5, "head mismatch");
    }

    @Test
    void entryInsertedBehindTheTrailIsNamed() throws Exception {
        appendFive();
        AuditEntry fifth = entry(5);
        Instant at = fifth.at().plusSeconds(1);
        String hash = AuditTrail.chainHash(fifth.hash(), 6, at, "mallory", "approval.approved", "RF-9", null, "{}");
        sql("INSERT INTO audit_entry (seq, at, actor, action, subject, correlation_id, detail, prev_hash, hash)"
                + " VALUES (6, TIMESTAMP WITH TIME ZONE '" + at + "', 'mallory', 'approval.approved', 'RF-9', NULL,"
                + " '{}', '" + fifth.hash() + "', '" + hash + "')");
        assertBroken(trail.verify(), 6, "head mismatch");
    }

    @Test
    void changedPrevHashIsNamed() throws Exception {
        appendFive();
        sql("UPDATE audit_entry SET prev_hash = '" + "f".repeat(64) + "' WHERE seq = 2");
        assertBroken(trail.verify(), 2, "prev_hash mismatch");
    }

    @Test
    void firstBreakIsTheOneNamed() throws Exception {
        appendFive();
        sql("UPDATE audit_entry SET subject = 'X' WHERE seq = 4");
        sql("UPDATE audit_entry SET subject = 'Y' WHERE seq = 2");
        assertBroken(trail.verify(), 2, "hash mismatch");
        sql("UPDATE audit_entry SET subject = 'RF-2' WHERE seq = 2");
        assertBroken(trail.verify(), 4, "hash mismatch");
        sql("UPDATE audit_entry SET subject = 'RF-4' WHERE seq = 4");
        assertEquals(AuditVerification.intact(5), trail.verify(), "restored content verifies again");
    }

    private void appendFive() {
        for (int i = 1; i <= 5; i++) {
            trail.append("approver-" + i, "approval.approved", "RF-" + i, "cid-" + i, Map.of("amountMinor", i * 100));
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(AuditVerification.intact(5), trail.verify());
    }

    private AuditEntry entry(long seq) {
        return trail.list(AuditQuery.newest()).items().stream().filter(e -> e.seq() == seq).findFirst().orElseThrow();
    }

    private void sql(String statement) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.executeUpdate(statement);
        }
    }

    static void assertBroken(AuditVerification verification, long seq, String problem) {
        assertFalse(verification.valid(), verification.toString());
        assertEquals(seq, verification.firstBrokenSeq(), verification.toString());
        assertTrue(verification.problem().startsWith(problem), verification.toString());
    }

    private static List<Long> seqs(AuditPage page) {
        return page.items().stream().map(AuditEntry::seq).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String sha256(String input) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(input.getBytes(StandardCharsets.UTF_8)));
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

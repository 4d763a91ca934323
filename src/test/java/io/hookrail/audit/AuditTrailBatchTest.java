package io.hookrail.audit;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.hookrail.support.Await;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batched appends: a list in the caller's transaction, and the started trail's writer committing what many threads
 * recorded together, each with one lock and one move of the chain's head, the chain still verifying.
 */
class AuditTrailBatchTest {

    private JdbcDataSource store;
    /** How many times the head was moved (each batch moves it once). */
    private final AtomicInteger headMoves = new AtomicInteger();
    private DataSource counting;
    private AuditTrail trail;
    private final ExecutorService callers = Executors.newFixedThreadPool(32);

    @BeforeEach
    void migrate() {
        store = new JdbcDataSource();
        store.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        Flyway.configure().dataSource(store).locations("classpath:db/migration").load().migrate();
        counting = countingHeadMoves(store);
        trail = new AuditTrail(counting, Clock.systemUTC(), 64, 0);
    }

    @AfterEach
    void stop() {
        trail.stop();
        callers.shutdownNow();
    }

    @Test
    void aListAppendedInTheCallersTransactionTakesConsecutiveSeqsUnderOneHeadMove() throws Exception {
        trail.append("alice", "approval.approved", "RF-1", "cid-1", Map.of("n", 1));
        headMoves.set(0);
        try (Connection transaction = counting.getConnection()) {
            transaction.setAutoCommit(false);
            trail.append(transaction, List.of(entry("a"), entry("b"), entry("c")));
            transaction.commit();
        }
        assertEquals(1, headMoves.get(), "one head move for the list");
        assertEquals(4, trail.getLastSeq());
        List<AuditEntry> newest = trail.list(AuditQuery.newest()).items();
        assertEquals(List.of("c", "b", "a", "RF-1"), newest.stream().map(AuditEntry::subject).toList());
        assertEquals(AuditVerification.intact(4), trail.verify());
    }

    @Test
    void whatThreadsRecordTogetherIsCommittedInOneBatchOfOneChain() throws Exception {
        trail.start();
        CountDownLatch release = new CountDownLatch(1);
        // the first record holds the writer inside its batch, so the next ones all wait together for the next batch
        Future<?> first = holdWriter(release);
        List<Future<?>> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String subject = "s" + i;
            others.add(callers.submit(() -> {
                trail.append("flow:test", "downstream.call", subject, null, Map.of());
                return null;
            }));
        }
        assertTrue(Await.until(() -> trail.waitingToCommit() == 20), "20 appends waiting for the writer");
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (Future<?> other : others) {
            other.get(10, TimeUnit.SECONDS);
        }
        assertEquals(2, headMoves.get(), "the held batch and the one after it");
        assertEquals(21, trail.getLastSeq());
        assertEquals(AuditVerification.intact(21), trail.verify());
    }

    @Test
    void aFailingChangeFailsOnlyItsOwnCallerAndLeavesNoEntry() throws Exception {
        trail.start();
        CountDownLatch release = new CountDownLatch(1);
        Future<?> first = holdWriter(release);
        Future<?> good1 = callers.submit(() -> {
            trail.record(AuditTrail.Change.NONE, entry("good-1"));
            return null;
        });
        Future<?> bad = callers.submit(() -> {
            trail.record(transaction -> {
                throw new SQLException("the change failed", "22000");
            }, entry("bad"));
            return null;
        });
        Future<?> good2 = callers.submit(() -> {
            trail.record(AuditTrail.Change.NONE, entry("good-2"));
            return null;
        });
        assertTrue(Await.until(() -> trail.waitingToCommit() == 3), "3 records waiting for the writer");
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        good1.get(10, TimeUnit.SECONDS);
        good2.get(10, TimeUnit.SECONDS);
        Exception failure = assertThrows(Exception.class, () -> bad.get(10, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof SQLException, failure.toString());
        assertEquals("the change failed", failure.getCause().getMessage());
        List<String> subjects = trail.list(AuditQuery.newest()).items().stream().map(AuditEntry::subject).toList();
        assertEquals(3, subjects.size(), subjects.toString());
        assertTrue(subjects.containsAll(List.of("first", "good-1", "good-2")), subjects.toString());
        assertEquals(AuditVerification.intact(3), trail.verify());
    }

    @Test
    void aChangeAndItsEntryCommitTogetherOrNotAtAll() throws Exception {
        trail.start();
        assertThrows(IllegalStateException.class, () -> trail.record(transaction -> {
            try (PreparedStatement insert = transaction.prepareStatement(
                    "UPDATE audit_head SET last_hash = last_hash WHERE id = 1")) {
                insert.executeUpdate();
            }
            throw new IllegalStateException("after its update, the change fails");
        }, entry("never")));
        assertEquals(0, trail.getEntryCount());
        trail.record(AuditTrail.Change.NONE, entry("after"));
        assertEquals(AuditVerification.intact(1), trail.verify());
    }

    /** Records an entry whose change holds the writer inside its batch until released; returns once it does. */
    private Future<?> holdWriter(CountDownLatch release) throws InterruptedException {
        CountDownLatch writerHeld = new CountDownLatch(1);
        Future<?> first = callers.submit(() -> {
            trail.record(transaction -> {
                writerHeld.countDown();
                await(release);
            }, entry("first"));
            return null;
        });
        assertTrue(writerHeld.await(10, TimeUnit.SECONDS));
        return first;
    }

    private static AuditTrail.Entry entry(String subject) {
        return AuditTrail.Entry.of("flow:test", "downstream.call", subject, null, Map.of("subject", subject));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The store, counting every statement that moves the chain's head. */
    private DataSource countingHeadMoves(JdbcDataSource target) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = method.invoke(target, args);
                    if (!"getConnection".equals(method.getName())) {
                        return result;
                    }
                    Connection connection = (Connection) result;
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                            (c, m, a) -> {
                                if ("prepareStatement".equals(m.getName()) && a != null && a[0] instanceof String sql
                                        && sql.startsWith("UPDATE audit_head SET last_seq")) {
                                    headMoves.incrementAndGet();
                                }
                                try {
                                    return m.invoke(connection, a);
                                } catch (java.lang.reflect.InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                });
    }
}

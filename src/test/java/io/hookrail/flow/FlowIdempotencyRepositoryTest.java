package io.hookrail.flow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.hookrail.ops.InstanceIdentity;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flow key states on a real (in-memory H2) store migrated by the production scripts. */
class FlowIdempotencyRepositoryTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private JdbcDataSource dataSource;

    @BeforeEach
    void migrate() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    private FlowIdempotencyRepository instance(String owner) {
        return new FlowIdempotencyRepository(dataSource, owner, LEASE, clock);
    }

    @Test
    void completedKeyIsADuplicate() {
        FlowIdempotencyRepository keys = instance("a");
        assertTrue(keys.add("ORD-1:fulfil"));
        assertTrue(keys.confirm("ORD-1:fulfil"));
        assertFalse(keys.add("ORD-1:fulfil"));
        assertTrue(keys.contains("ORD-1:fulfil"));
    }

    @Test
    void keyInProgressElsewhereIsBusyNotADuplicate() {
        instance("a").add("ORD-2:fulfil");
        assertThrows(FlowKeyBusyException.class, () -> instance("b").add("ORD-2:fulfil"));
        assertFalse(instance("b").contains("ORD-2:fulfil"));
    }

    @Test
    void keyOfASilentOwnerIsTakenOverAfterTheLease() {
        instance("a").add("ORD-3:fulfil");
        clock.advance(LEASE.minusSeconds(1));
        assertThrows(FlowKeyBusyException.class, () -> instance("b").add("ORD-3:fulfil"));
        clock.advance(Duration.ofSeconds(2));
        assertTrue(instance("b").add("ORD-3:fulfil"));
    }

    @Test
    void heartbeatKeepsTheLease() {
        FlowIdempotencyRepository owner = instance("a");
        owner.add("ORD-4:fulfil");
        clock.advance(LEASE.minusSeconds(10));
        assertEquals(1, owner.heartbeat());
        clock.advance(Duration.ofSeconds(20));
        assertThrows(FlowKeyBusyException.class, () -> instance("b").add("ORD-4:fulfil"));
    }

    @Test
    void restartedInstanceAdoptsItsKeysAtOnce() {
        FlowIdempotencyRepository before = instance("a");
        before.add("ORD-5:fulfil");

        FlowIdempotencyRepository after = instance("a");
        assertEquals(1, after.orphanKeysOfPreviousRun());
        assertTrue(after.add("ORD-5:fulfil"));
    }

    /**
     * Two instances on one host (and one data directory, which no longer names them) listen on different ports: the
     * one that starts second leaves the first one's keys alone, and each takes back only its own when it restarts.
     */
    @Test
    void twoInstancesOnOneHostWithDifferentPortsDoNotOrphanEachOthersKeys() {
        String first = InstanceIdentity.resolve("", "shared-host", 8080).id();
        String second = InstanceIdentity.resolve("", "shared-host", 8081).id();
        FlowIdempotencyRepository a = instance(first);
        assertEquals(0, a.orphanKeysOfPreviousRun());
        assertTrue(a.add("ORD-12:fulfil"));

        FlowIdempotencyRepository b = instance(second);
        assertEquals(0, b.orphanKeysOfPreviousRun(), "the second instance orphaned the first one's key");
        assertThrows(FlowKeyBusyException.class, () -> b.add("ORD-12:fulfil"));
        assertTrue(b.add("ORD-13:fulfil"));

        // the first is killed and restarted on its port: it adopts its own key at once, not the second's
        FlowIdempotencyRepository restarted = instance(InstanceIdentity.resolve("", "shared-host", 8080).id());
        assertEquals(1, restarted.orphanKeysOfPreviousRun());
        assertTrue(restarted.add("ORD-12:fulfil"));
        assertThrows(FlowKeyBusyException.class, () -> restarted.add("ORD-13:fulfil"));
        assertTrue(b.confirm("ORD-13:fulfil"));
        assertTrue(restarted.confirm("ORD-12:fulfil"));
    }

    @Test
    void onlyTheOwnerConfirmsOrRemovesItsKey() {
        FlowIdempotencyRepository owner = instance("a");
        owner.add("ORD-10:fulfil");
        FlowIdempotencyRepository other = instance("b");
        assertFalse(other.confirm("ORD-10:fulfil"));
        assertFalse(other.remove("ORD-10:fulfil"));
        assertThrows(FlowKeyBusyException.class, () -> other.add("ORD-10:fulfil"));
        assertTrue(owner.confirm("ORD-10:fulfil"));
        assertFalse(owner.remove("ORD-10:fulfil"), "a completed key stays");
        assertTrue(other.contains("ORD-10:fulfil"));
        assertTrue(other.forget("ORD-10:fulfil"), "an operator forgets it whoever holds it");
        assertTrue(other.add("ORD-10:fulfil"));
    }

    @Test
    void aKeyTakenOverByAnotherInstanceCannotBeCompletedByItsFormerOwner() {
        FlowIdempotencyRepository former = instance("a");
        former.add("ORD-11:fulfil");
        clock.advance(LEASE.plusSeconds(1));
        FlowIdempotencyRepository taker = instance("b");
        assertTrue(taker.add("ORD-11:fulfil"));
        assertFalse(former.confirm("ORD-11:fulfil"));
        assertTrue(taker.confirm("ORD-11:fulfil"));
    }

    @Test
    void removedKeyRunsAgain() {
        FlowIdempotencyRepository keys = instance("a");
        keys.add("ORD-6:fulfil");
        assertTrue(keys.remove("ORD-6:fulfil"));
        assertTrue(keys.add("ORD-6:fulfil"));
    }

    @Test
    void completedKeysOlderThanTheRetentionArePurged() {
        FlowIdempotencyRepository keys = instance("a");
        keys.add("ORD-7:fulfil");
        keys.confirm("ORD-7:fulfil");
        clock.advance(Duration.ofDays(91));
        keys.add("ORD-8:fulfil");
        keys.confirm("ORD-8:fulfil");
        assertEquals(1, keys.purgeCompletedOlderThan("P90D"));
        assertFalse(keys.contains("ORD-7:fulfil"));
        assertTrue(keys.contains("ORD-8:fulfil"));
    }

    @Test
    void concurrentAddsOfOneKeyLetExactlyOneRun() throws Exception {
        int contenders = 20;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            FlowIdempotencyRepository keys = instance("owner-" + i);
            Callable<String> add = () -> {
                start.await();
                try {
                    return keys.add("ORD-9:fulfil") ? "run" : "duplicate";
                } catch (FlowKeyBusyException busy) {
                    return "busy";
                }
            };
            outcomes.add(pool.submit(add));
        }
        start.countDown();
        List<String> results = new ArrayList<>();
        for (Future<String> outcome : outcomes) {
            results.add(outcome.get());
        }
        pool.shutdown();
        assertEquals(1, results.stream().filter("run"::equals).count(), results.toString());
        assertEquals(contenders - 1, results.stream().filter("busy"::equals).count(), results.toString());
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

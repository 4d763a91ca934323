package io.hookrail.flow;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailCluster;
import io.hookrail.support.HookrailProcess;
import io.hookrail.support.PostgresServer;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two Hookrail processes on a shared PostgreSQL and a standalone ActiveMQ master/slave pair take 1,000 signed
 * orders spread over both, while one part of the system is killed mid-load: an instance, the master broker, or the
 * database. Senders behave like a real webhook provider: an order not answered 202 or 200 is sent again, same id,
 * to the other instance, until one accepts it. Afterwards every order is fulfilled exactly once, by whichever
 * instance, and the ledger holds nothing else.
 */
class ScaleOutTest {

    static final int ORDERS = 1000;
    static final int SENDERS = 8;
    /** The fault comes once this many orders are accepted, while more are arriving and others are mid-saga. */
    static final int ACCEPTED_AT_FAULT = 300;
    static final List<String> FULFILLED = List.of("invoice.create", "payment.capture", "email.send");
    static final Duration KEY_LEASE = Duration.ofSeconds(10);
    static final String APPROVAL_EXPIRY = "approval-expiry";
    static final Duration HEARTBEAT = Duration.ofSeconds(2);
    static final ObjectMapper JSON = new ObjectMapper();
    /** Short flow key leases, so a dead instance's keys move within seconds rather than the default minute. */
    static final Map<String, String> PROPERTIES = Map.of(
            "hookrail.flow.keyLease", KEY_LEASE.toString(),
            "hookrail.flow.keyHeartbeatMillis", String.valueOf(HEARTBEAT.toMillis()));

    @BeforeAll
    static void needsPostgresBinaries() {
        Assumptions.assumeTrue(PostgresServer.available(), "PostgreSQL server binaries are not installed");
    }

    @Test
    void anInstanceKilledMidLoadLosesAndDoublesNothing() throws Exception {
        try (HookrailCluster cluster = HookrailCluster.start(PROPERTIES)) {
            // the instance to kill is the one running the singleton jobs, so they have to move too
            assertTrue(Await.until(() -> HookrailCluster.singletonHolders(cluster.instance(0))
                    .getOrDefault(APPROVAL_EXPIRY, "none").startsWith("hookrail-")), "nobody holds the approval expiry");
            String holder = HookrailCluster.singletonHolders(cluster.instance(0)).get(APPROVAL_EXPIRY);
            HookrailProcess dead = cluster.instance(holder.equals("hookrail-a") ? 0 : 1);
            HookrailProcess survivor = cluster.instance(holder.equals("hookrail-a") ? 1 : 0);
            String survivorId = holder.equals("hookrail-a") ? "hookrail-b" : "hookrail-a";
            Orders orders = new Orders(cluster);
            orders.start();
            awaitAccepted(orders, ACCEPTED_AT_FAULT);
            dead.kill();
            long killedAt = System.nanoTime();
            int heldAtKill = cluster.keysHeldBy(holder);

            // while the senders go on: the survivor takes the dead one's keys once their lease runs out, and the
            // broker gives it their events
            assertTrue(Await.until(KEY_LEASE.plusSeconds(45), () -> keysHeld(cluster, holder) == 0),
                    "the survivor did not take over the dead instance's keys");
            long takeoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
            // the lease runs from the dead one's last heartbeat, and the survivor asks again at least once a heartbeat;
            // on top comes the survivor's own prefetched backlog ahead of those events (seconds, on a machine running
            // five JVMs and PostgreSQL on 2 cores)
            assertTrue(takeoverMillis < KEY_LEASE.multipliedBy(2).plus(HEARTBEAT).toMillis(),
                    "the keys moved " + takeoverMillis + " ms after the kill");
            // and the singleton jobs moved with them
            Map<String, String> singletons = new java.util.TreeMap<>();
            assertTrue(Await.until(() -> {
                singletons.clear();
                singletons.putAll(HookrailCluster.singletonHolders(survivor));
                return !singletons.isEmpty() && singletons.values().stream().allMatch(survivorId::equals);
            }), "the singletons did not move: " + singletons);
            orders.finish();
            assertExactlyOnce(cluster, orders, survivor);
            System.out.printf("instance kill: %d orders accepted, %d keys held by the dead instance, all taken over"
                    + " after %d ms (lease %s); singletons %s%n", orders.accepted.size(), heldAtKill, takeoverMillis,
                    KEY_LEASE, singletons);
        }
    }

    @Test
    void theMasterBrokerKilledMidLoadLosesAndDoublesNothing() throws Exception {
        outageMidLoad("the master broker killed", cluster -> cluster.brokers().killMaster(),
                cluster -> cluster.brokers().awaitMaster());
    }

    @Test
    void theDatabaseRestartedMidLoadLosesAndDoublesNothing() throws Exception {
        outageMidLoad("the database stopped", cluster -> cluster.database().stop(),
                cluster -> cluster.database().startAgain());
    }

    /** What breaks a shared part of the cluster, or brings it back. */
    interface Fault {
        void apply(HookrailCluster cluster) throws Exception;
    }

    /**
     * Mid-load, the fault comes; senders get 503 while it lasts (never a 202 that is then lost); it ends by itself or
     * is repaired, the instances recover with no restart, and every order is fulfilled exactly once.
     */
    private static void outageMidLoad(String what, Fault fault, Fault recovery) throws Exception {
        try (HookrailCluster cluster = HookrailCluster.start(PROPERTIES)) {
            Orders orders = new Orders(cluster);
            orders.start();
            awaitAccepted(orders, ACCEPTED_AT_FAULT);
            int refusedBefore = orders.refused.get();
            fault.apply(cluster);
            assertTrue(Await.until(Duration.ofSeconds(30), () -> orders.refused.get() > refusedBefore),
                    "no sender got a 503 with " + what);
            recovery.apply(cluster);
            orders.finish();
            assertExactlyOnce(cluster, orders, cluster.instance(0));
            System.out.printf("%s: %d orders accepted, %d answers 503 meanwhile%n", what, orders.accepted.size(),
                    orders.refused.get() - refusedBefore);
        }
    }

    /**
     * Every order was accepted, and each has exactly its three effects once; then a marker order sent afterwards is
     * fulfilled too, so nothing of the others was still under way when the ledger was read.
     */
    private static void assertExactlyOnce(HookrailCluster cluster, Orders orders, HookrailProcess survivor)
            throws Exception {
        assertEquals(ORDERS, orders.accepted.size(), "orders never accepted: " + orders.unaccepted());
        assertTrue(Await.until(Duration.ofMinutes(4), () -> fulfilled(cluster, orders.accepted)),
                "not every accepted order was fulfilled");
        String marker = "ORD-MARKER-" + UUID.randomUUID();
        assertEquals(202, new WebhookSender(survivor.baseUrl()).standardWebhooks("shop", GoldenEvents.SHOP_SECRET,
                "msg_" + UUID.randomUUID(), order(marker)).statusCode());
        assertTrue(Await.until(Duration.ofMinutes(1), () -> fulfilled(cluster, Set.of(marker))), "marker order");
        Map<String, List<String>> ledger = cluster.ledger();
        for (String orderId : orders.accepted) {
            assertEquals(FULFILLED, ledger.get(orderId), "order " + orderId);
        }
        assertEquals(ORDERS + 1, ledger.size(), "effects of business ids nobody sent");
    }

    private static boolean fulfilled(HookrailCluster cluster, Set<String> orderIds) {
        try {
            Map<String, List<String>> ledger = cluster.ledger();
            return orderIds.stream().allMatch(id -> ledger.getOrDefault(id, List.of()).size() >= FULFILLED.size());
        } catch (java.sql.SQLException notNow) {
            return false;
        }
    }

    private static int keysHeld(HookrailCluster cluster, String instanceId) {
        try {
            return cluster.keysHeldBy(instanceId);
        } catch (java.sql.SQLException notNow) {
            return -1;
        }
    }

    private static void awaitAccepted(Orders orders, int count) throws InterruptedException {
        assertTrue(Await.until(Duration.ofMinutes(2), () -> orders.accepted.size() >= count),
                "only " + orders.accepted.size() + " orders accepted");
    }

    /**
     * The senders, as a webhook provider schedules deliveries: a new order every {@link #PACE} (a shop's pace, so the
     * load lasts through the fault), first to instance (n mod 2); until one answers 202 or 200 (a duplicate of one
     * already accepted), the same delivery again {@link #RETRY_AFTER} later to the other instance, then back.
     */
    private static final class Orders {

        static final Duration PACE = Duration.ofMillis(10);
        static final Duration RETRY_AFTER = Duration.ofMillis(200);
        static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);

        final Set<String> accepted = ConcurrentHashMap.newKeySet();
        final AtomicInteger refused = new AtomicInteger();
        private final List<WebhookSender> senders = new ArrayList<>();
        private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(SENDERS);
        private final CountDownLatch ended = new CountDownLatch(ORDERS);
        private final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

        /** One delivery: its order, its id (the same on every attempt), and when its sender gives up. */
        private record Delivery(int n, String orderId, String eventId, byte[] body, long giveUpAt) {
        }

        Orders(HookrailCluster cluster) {
            for (HookrailProcess instance : cluster.instances()) {
                senders.add(new WebhookSender(instance.baseUrl()));
            }
        }

        void start() {
            for (int n = 0; n < ORDERS; n++) {
                int order = n;
                pool.schedule(() -> attempt(newDelivery(order), 0), PACE.toMillis() * n, TimeUnit.MILLISECONDS);
            }
        }

        /** Waits until every order is accepted, or its sender gave up. */
        void finish() throws Exception {
            assertTrue(ended.await(GIVE_UP_AFTER.toMinutes() + 2, TimeUnit.MINUTES), "the senders did not end");
            pool.shutdownNow();
            if (!failures.isEmpty()) {
                throw new AssertionError("a sender failed", failures.get(0));
            }
        }

        List<String> unaccepted() {
            return sent.stream().filter(id -> !accepted.contains(id)).toList();
        }

        private Delivery newDelivery(int n) {
            String orderId = "ORD-S" + n + "-" + UUID.randomUUID().toString().substring(0, 8);
            sent.add(orderId);
            return new Delivery(n, orderId, "msg_" + UUID.randomUUID(), order(orderId),
                    System.nanoTime() + GIVE_UP_AFTER.toNanos());
        }

        private void attempt(Delivery delivery, int attempt) {
            try {
                WebhookSender sender = senders.get((delivery.n() + attempt) % senders.size());
                try {
                    HttpResponse<String> response = sender.standardWebhooks("shop", GoldenEvents.SHOP_SECRET,
                            delivery.eventId(), delivery.body());
                    if (response.statusCode() == 202 || response.statusCode() == 200) {
                        accepted.add(delivery.orderId());
                        ended.countDown();
                        return;
                    }
                    assertEquals(503, response.statusCode(), "unexpected answer: " + response.body());
                    refused.incrementAndGet();
                } catch (IllegalStateException noAnswer) {
                    // the instance is gone, or did not answer in time: the order may or may not have been kept
                }
                if (System.nanoTime() < delivery.giveUpAt()) {
                    pool.schedule(() -> attempt(delivery, attempt + 1), RETRY_AFTER.toMillis(), TimeUnit.MILLISECONDS);
                } else {
                    ended.countDown();
                }
            } catch (Throwable failure) {
                failures.add(failure);
                ended.countDown();
            }
        }
    }

    private static byte[] order(String orderId) {
        try {
            ObjectNode order = (ObjectNode) JSON.readTree(GoldenEvents.read("shop-order-placed-small.json"));
            ((ObjectNode) order.get("data")).put("orderId", orderId);
            return JSON.writeValueAsString(order).getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

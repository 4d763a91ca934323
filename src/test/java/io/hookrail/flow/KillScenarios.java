package io.hookrail.flow;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailProcess;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kill test: Hookrail as its own process takes hundreds of signed orders at once, dies by SIGKILL in the
 * middle, and starts again on the same data directory. Every order answered 202 is then fulfilled exactly once, and
 * no order is left half-done.
 */
abstract class KillScenarios {

    static final int ORDERS = 500;
    static final int SENDERS = 4;
    /** The kill comes once this many orders are fulfilled, while others are mid-saga and more are arriving. */
    static final int FULFILLED_AT_KILL = 40;
    static final List<String> FULFILLED = List.of("invoice.create", "payment.capture", "email.send");
    static final ObjectMapper JSON = new ObjectMapper();

    abstract TestDatabase database();

    @Test
    void everyAcceptedOrderIsFulfilledExactlyOnceAfterAKill() throws Exception {
        try (TestDatabase database = database()) {
            Map<String, String> properties = database.isPostgres() ? Map.of("hookrail.db.url", database.jdbcUrl()) : Map.of();
            HookrailProcess hookrail = new HookrailProcess(Files.createTempDirectory("hookrail-kill-"), properties).start();
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
            try {
                WebhookSender sender = new WebhookSender(hookrail.baseUrl());
                byte[] template = GoldenEvents.read("shop-order-placed-small.json");
                AtomicInteger next = new AtomicInteger();
                ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
                List<Future<?>> senders = new ArrayList<>();
                for (int s = 0; s < SENDERS; s++) {
                    senders.add(pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < ORDERS; i = next.getAndIncrement()) {
                            String orderId = "ORD-K" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
                            sent.add(orderId);
                            try {
                                HttpResponse<String> response = sender.standardWebhooks("shop", GoldenEvents.SHOP_SECRET,
                                        "msg_" + UUID.randomUUID(), order(template, orderId));
                                if (response.statusCode() == 202) {
                                    accepted.add(orderId);
                                }
                            } catch (IllegalStateException killed) {
                                // no answer: the sender would retry later; the order may or may not have been kept
                            }
                            pace();
                        }
                    }));
                }
                while (performed(hookrail, "email.send") < FULFILLED_AT_KILL) {
                    Thread.sleep(20);
                }
                hookrail.kill();
                for (Future<?> s : senders) {
                    s.get();
                }
                pool.shutdown();
                assertTrue(accepted.size() < ORDERS, "the kill came after the last order");

                long fulfilledBeforeKill = performed(hookrail, "email.send");
                hookrail.start();
                SandboxClient sandbox = new SandboxClient(hookrail.baseUrl());
                Map<String, List<String>> ledger = awaitFulfilled(sandbox, accepted);
                System.out.printf("kill test: %d orders sent, %d accepted before the kill, %d fulfilled before it%n",
                        sent.size(), accepted.size(), fulfilledBeforeKill);
                for (String orderId : accepted) {
                    assertEquals(FULFILLED, ledger.get(orderId), "accepted order " + orderId);
                }
                for (String orderId : sent) {
                    List<String> effects = ledger.getOrDefault(orderId, List.of());
                    assertTrue(effects.isEmpty() || effects.equals(FULFILLED), orderId + " half-done: " + effects);
                }
            } finally {
                hookrail.close();
            }
        }
    }

    /** Orders of the compensation kill test, and how many compensations are done when the kill comes. */
    static final int COMPENSATED_ORDERS = 200;
    static final int CANCELLED_AT_KILL = 25;
    static final List<String> COMPENSATED = List.of("invoice.create", "payment.capture", "payment.refund",
            "invoice.cancel");

    /**
     * The e-mail is down, so every order's saga gives up at its last step and is compensated; the refunds and
     * cancellations are slowed so that the kill comes while compensations are under way (most likely between a
     * refund and its cancellation). After the restart on the same data
     * directory (the faults, kept in the store, are then cleared) every accepted order is either fulfilled once or
     * fully compensated once: no open invoice, no capture left standing, no refund or cancellation twice.
     */
    @Test
    void everyAcceptedOrderIsFulfilledOnceOrCompensatedOnceAfterAKillMidCompensation() throws Exception {
        try (TestDatabase database = database()) {
            // fast retries, and the e-mail's breaker kept closed, so the sagas give up quickly
            Map<String, String> properties = new HashMap<>(Map.of(
                    "hookrail.flow.retry.maximumRedeliveries", "1", "hookrail.flow.retry.initialDelayMillis", "50",
                    "hookrail.flow.retry.maximumDelayMillis", "100", "hookrail.circuitBreaker.minimumNumberOfCalls", "100000"));
            if (database.isPostgres()) {
                properties.put("hookrail.db.url", database.jdbcUrl());
            }
            HookrailProcess hookrail = new HookrailProcess(Files.createTempDirectory("hookrail-kill-comp-"), properties)
                    .start();
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
            try {
                SandboxClient faults = new SandboxClient(hookrail.baseUrl());
                faults.fault("email", "down");
                faults.inject("{\"system\":\"payments\",\"operation\":\"payment.refund\",\"mode\":\"slow\",\"delayMs\":50}");
                faults.inject("{\"system\":\"erp\",\"operation\":\"invoice.cancel\",\"mode\":\"slow\",\"delayMs\":400}");
                WebhookSender sender = new WebhookSender(hookrail.baseUrl());
                byte[] template = GoldenEvents.read("shop-order-placed-small.json");
                for (int i = 0; i < COMPENSATED_ORDERS; i++) {
                    String orderId = "ORD-C" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
                    sent.add(orderId);
                    HttpResponse<String> response = sender.standardWebhooks("shop", GoldenEvents.SHOP_SECRET,
                            "msg_" + UUID.randomUUID(), order(template, orderId));
                    if (response.statusCode() == 202) {
                        accepted.add(orderId);
                    }
                }
                // the kill comes once enough orders are compensated and another is refunded but not yet cancelled
                assertTrue(Await.until(Duration.ofMinutes(3),
                        () -> performed(hookrail, "invoice.cancel") >= CANCELLED_AT_KILL
                                && performed(hookrail, "payment.refund") > performed(hookrail, "invoice.cancel")),
                        "the compensations did not get under way");
                hookrail.kill();
                long cancelledBeforeKill = performed(hookrail, "invoice.cancel");
                long refundedBeforeKill = performed(hookrail, "payment.refund");

                hookrail.start();
                SandboxClient sandbox = new SandboxClient(hookrail.baseUrl());
                // the faults outlive the process (they are in the store): the restarted one runs on healthy systems
                sandbox.clearFaults();
                Map<String, List<String>> ledger = awaitTerminal(sandbox, new WebhookSender(hookrail.baseUrl()), accepted);
                System.out.printf("compensation kill test: %d orders accepted, %d refunds and %d cancellations before"
                        + " the kill%n", accepted.size(), refundedBeforeKill, cancelledBeforeKill);
                assertTrue(refundedBeforeKill > cancelledBeforeKill, "the kill did not come mid-compensation");
                long compensated = 0;
                for (String orderId : accepted) {
                    List<String> effects = ledger.get(orderId);
                    assertTrue(FULFILLED.equals(effects) || COMPENSATED.equals(effects),
                            "accepted order " + orderId + " neither fulfilled once nor compensated once: " + effects);
                    compensated += COMPENSATED.equals(effects) ? 1 : 0;
                }
                assertTrue(compensated >= cancelledBeforeKill, compensated + " compensated orders");
            } finally {
                hookrail.close();
            }
        }
    }

    /**
     * Waits (at most 3 minutes) until every accepted order is fulfilled or compensated, then for one more order sent
     * after that to be fulfilled (so nothing of the others was still under way); returns the ledger by order.
     */
    private static Map<String, List<String>> awaitTerminal(SandboxClient sandbox, WebhookSender sender,
                                                           Set<String> accepted) throws Exception {
        Await.until(Duration.ofMinutes(3), () -> {
            Map<String, List<String>> byOrder = awaitQuiet(sandbox);
            return accepted.stream().allMatch(id -> FULFILLED.equals(byOrder.get(id)) || COMPENSATED.equals(byOrder.get(id)));
        });
        String marker = "ORD-MARKER-" + UUID.randomUUID();
        assertEquals(202, sender.standardWebhooks("shop", GoldenEvents.SHOP_SECRET, "msg_" + UUID.randomUUID(),
                order(GoldenEvents.read("shop-order-placed-small.json"), marker)).statusCode());
        assertEquals(FULFILLED, sandbox.awaitOperations(marker, ops -> ops.size() >= FULFILLED.size()));
        return awaitQuiet(sandbox);
    }

    /** How often the process's sandbox performed the operation, from its log. */
    private static long performed(HookrailProcess hookrail, String operation) {
        try {
            return hookrail.output().lines().filter(line -> line.contains("performed " + operation)).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits (at most 3 minutes) until every accepted order shows its three effects; returns the ledger by order. */
    private static Map<String, List<String>> awaitFulfilled(SandboxClient sandbox, Set<String> accepted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        Map<String, List<String>> byOrder = new HashMap<>();
        while (System.nanoTime() < deadline) {
            byOrder = new HashMap<>();
            for (SandboxClient.Effect effect : sandbox.ledger("")) {
                byOrder.computeIfAbsent(effect.businessId(), id -> new ArrayList<>()).add(effect.operation());
            }
            Map<String, List<String>> snapshot = byOrder;
            if (accepted.stream().allMatch(id -> snapshot.getOrDefault(id, List.of()).size() >= FULFILLED.size())) {
                Thread.sleep(1_000); // and nothing more follows
                return awaitQuiet(sandbox);
            }
            Thread.sleep(500);
        }
        return byOrder;
    }

    private static Map<String, List<String>> awaitQuiet(SandboxClient sandbox) {
        Map<String, List<String>> byOrder = new HashMap<>();
        for (SandboxClient.Effect effect : sandbox.ledger("")) {
            byOrder.computeIfAbsent(effect.businessId(), id -> new ArrayList<>()).add(effect.operation());
        }
        return byOrder;
    }


    private static void pace() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] order(byte[] template, String orderId) {
        try {
            ObjectNode order = (ObjectNode) JSON.readTree(template);
            ((ObjectNode) order.get("data")).put("orderId", orderId);
            return JSON.writeValueAsString(order).getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

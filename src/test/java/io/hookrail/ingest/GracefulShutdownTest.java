package io.hookrail.ingest;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.jms.TextMessage;

import io.hookrail.support.Await;
import io.hookrail.support.EventQueue;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailProcess;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM under load: every delivery answered 202 before or during the stop is on disk in the broker when Hookrail
 * comes back on the same data directory, and nothing is answered with anything but 202, 503 or a refused connection.
 */
class GracefulShutdownTest {

    private static final int SENDERS = 8;
    private static final int DELIVERIES_PER_SENDER = 60;

    @Test
    void sigtermUnderLoadLosesNoAcceptedEvent() throws Exception {
        Path dataDir = Files.createTempDirectory("hookrail-shutdown-");
        byte[] order = GoldenEvents.read("shop-order-placed-small.json");
        Set<String> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        // every answer but a 202, with its body: a 503 names what was unavailable, anything else is a defect to read
        List<String> otherAnswers = java.util.Collections.synchronizedList(new ArrayList<>());

        try (HookrailProcess hookrail = new HookrailProcess(dataDir, Map.of()).start()) {
            // the flow queue exists before the first event, as a flow's queue does
            new EventQueue(hookrail.brokerUrl(), "shutdown-test", "order.placed").close();
            WebhookSender sender = new WebhookSender(hookrail.baseUrl());
            ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
            List<Future<?>> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                senders.add(pool.submit(() -> {
                    for (int i = 0; i < DELIVERIES_PER_SENDER; i++) {
                        String id = "msg_" + UUID.randomUUID();
                        try {
                            HttpResponse<String> response = sender.standardWebhooks("shop", GoldenEvents.SHOP_SECRET, id, order);
                            if (response.statusCode() == 202) {
                                accepted.add(id);
                            } else {
                                otherAnswers.add(response.statusCode() + " " + response.body());
                            }
                        } catch (IllegalStateException refused) {
                            return; // the server has closed: a sender would retry later
                        }
                    }
                }));
            }
            assertTrue(Await.until(() -> accepted.size() >= SENDERS * DELIVERIES_PER_SENDER / 3),
                    "a third of the deliveries not accepted: " + otherAnswers);
            // 143 = 128 + SIGTERM: a JVM stopped by the signal after its shutdown hooks ran
            assertEquals(143, hookrail.terminate(), "exit code after SIGTERM");
            assertTrue(hookrail.output().contains("Routes stopped"), "Camel did not shut down gracefully");
            for (Future<?> s : senders) {
                s.get();
            }
            pool.shutdown();
        }
        assertTrue(otherAnswers.stream().allMatch(answer -> answer.startsWith("503 ")), "unexpected answers " + otherAnswers);

        try (HookrailProcess again = new HookrailProcess(dataDir, Map.of()).start();
             EventQueue queue = new EventQueue(again.brokerUrl(), "shutdown-test", "order.placed")) {
            Set<String> onDisk = new HashSet<>();
            for (TextMessage message : queue.drain(2_000)) {
                assertTrue(onDisk.add(message.getStringProperty("eventId")), "published twice");
            }
            assertTrue(onDisk.containsAll(accepted), (accepted.size() - onDisk.size()) + " accepted events lost");
        }
    }
}

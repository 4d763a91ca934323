package io.hookrail.ingest;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.jms.DeliveryMode;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.support.Await;
import io.hookrail.support.EventQueue;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.StandaloneBroker;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.hookrail.support.GoldenEvents.SHOP_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit at the door (ADR 8) over real HTTP, against a real ActiveMQ (standalone, so it can be stopped) and a
 * real database shared by the instances of a test; each subclass picks the database. A batch is held open where a
 * test needs one by a receipt row another transaction has inserted and not committed: the writer's insert waits on
 * its primary key, and the deliveries sent meanwhile queue up for the next batch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GroupCommitScenarios {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SEAL_KEY = Base64.getEncoder().encodeToString(
            "group-commit-test-seal-key-32-by".getBytes(StandardCharsets.UTF_8));

    TestDatabase database;
    String databaseUrl;
    StandaloneBroker broker;
    HookrailInstance hookrail;
    WebhookSender sender;
    ExecutorService callers;

    abstract TestDatabase database();

    @BeforeAll
    void start() throws Exception {
        database = database();
        databaseUrl = database.isPostgres() ? database.jdbcUrl()
                : "jdbc:h2:file:" + Files.createTempDirectory("hookrail-shared-h2-").resolve("hookrail")
                        + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0";
        broker = new StandaloneBroker(Files.createTempDirectory("broker-")).start();
        hookrail = instance();
        sender = new WebhookSender(hookrail.baseUrl());
        callers = Executors.newFixedThreadPool(128);
    }

    @AfterAll
    void stop() throws Exception {
        if (callers != null) {
            callers.shutdownNow();
        }
        if (hookrail != null) {
            hookrail.close();
        }
        if (broker != null) {
            broker.close();
        }
        database.close();
    }

    /** An instance on the test's database and broker, with rate limits out of the way. */
    HookrailInstance instance() {
        return HookrailInstance.builder()
                .property("hookrail.db.url", databaseUrl)
                .property("hookrail.broker.url", broker.url())
                .property("hookrail.broker.sealKey", SEAL_KEY)
                .property("hookrail.ingest.rateLimit.perSecond", "100000")
                .property("hookrail.ingest.rateLimit.burst", "100000")
                .property("hookrail.ingest.clientRateLimit.perSecond", "100000")
                .property("hookrail.ingest.clientRateLimit.burst", "100000")
                .start();
    }

    @Test
    void aBurstOfDistinctDeliveriesIsAcceptedInFewerBatchesThanDeliveriesEachPublishedOnce() throws Exception {
        int deliveries = 100;
        String run = UUID.randomUUID().toString().substring(0, 8);
        long batchesBefore = admission(hookrail).batches();
        Map<String, String> orderById = new HashMap<>();
        try (EventQueue queue = new EventQueue(broker.url(), "gc-burst", "order.placed")) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < deliveries; i++) {
                String id = "msg_" + UUID.randomUUID();
                String orderId = "ORD-GC-" + run + "-" + i;
                orderById.put(id, orderId);
                byte[] body = GoldenEvents.withField("shop-order-placed-small.json", "orderId", orderId);
                responses.add(callers.submit(() -> {
                    go.await();
                    return sender.standardWebhooks("shop", SHOP_SECRET, id, body);
                }));
            }
            go.countDown();
            for (Future<HttpResponse<String>> response : responses) {
                assertEquals(202, response.get().statusCode(), response.get().body());
            }
            long batches = admission(hookrail).batches() - batchesBefore;
            assertTrue(batches < deliveries, deliveries + " deliveries took " + batches + " batches");

            List<TextMessage> published = queue.drain(1_000);
            assertEquals(deliveries, published.size());
            Set<String> ids = new HashSet<>();
            for (TextMessage message : published) {
                String id = message.getStringProperty("eventId");
                assertTrue(ids.add(id), "published twice: " + id);
                JsonNode event = JSON.readTree(message.getText());
                assertEquals(id, event.get("id").asText());
                assertEquals("order.placed", message.getStringProperty("eventType"));
                assertEquals("shop", message.getStringProperty("eventSource"));
                assertEquals(event.get("correlationid").asText(), message.getStringProperty("correlationId"));
                // the order's events share a message group: consumed in order, other orders in parallel
                assertEquals(orderById.get(id), message.getStringProperty("JMSXGroupID"));
                assertEquals(orderById.get(id), event.at("/data/orderId").asText());
                assertEquals("source:shop", message.getStringProperty("hookrailRequester"));
                assertNotNull(message.getStringProperty("hookrailSeal"));
                assertEquals(DeliveryMode.PERSISTENT, message.getJMSDeliveryMode());
            }
            assertEquals(orderById.keySet(), ids);
        }
    }

    @Test
    void duplicatesWithinABatchAndOfRecordedEventsAreAnswered200AndPublishedOnce() throws Exception {
        byte[] order = GoldenEvents.read("shop-order-placed-small.json");
        String recorded = "msg_" + UUID.randomUUID();
        String holder = "msg_" + UUID.randomUUID();
        String repeated = "msg_" + UUID.randomUUID();
        String single = "msg_" + UUID.randomUUID();
        EventAdmission admission = admission(hookrail);
        try (EventQueue queue = new EventQueue(broker.url(), "gc-dedup", "order.placed")) {
            assertEquals(202, sender.standardWebhooks("shop", SHOP_SECRET, recorded, order).statusCode());
            long batchesBefore = admission.batches();
            Future<HttpResponse<String>> first;
            List<Future<HttpResponse<String>>> recordedCopies = new ArrayList<>();
            List<Future<HttpResponse<String>>> repeatedCopies = new ArrayList<>();
            Future<HttpResponse<String>> singleCopy;
            try (HeldReceipt held = new HeldReceipt(hookrail, "shop", holder)) {
                first = deliver(sender, holder, order); // its batch waits on the held receipt
                assertTrue(Await.until(() -> admission.batches() == batchesBefore + 1 && admission.waiting() == 0));
                for (int i = 0; i < 3; i++) {
                    recordedCopies.add(deliver(sender, recorded, order));
                }
                for (int i = 0; i < 4; i++) {
                    repeatedCopies.add(deliver(sender, repeated, order));
                }
                singleCopy = deliver(sender, single, order);
                assertTrue(Await.until(() -> admission.waiting() == 8), "the deliveries did not queue up");
            } // rolled back: the held batch goes on, then the eight queued deliveries make one batch
            assertEquals(202, first.get().statusCode(), first.get().body());
            for (Future<HttpResponse<String>> copy : recordedCopies) {
                assertEquals(200, copy.get().statusCode(), copy.get().body());
                assertEquals("duplicate", JSON.readTree(copy.get().body()).get("status").asText());
            }
            assertEquals(Map.of(202, 1, 200, 3), statuses(repeatedCopies));
            assertEquals(202, singleCopy.get().statusCode());
            assertEquals(2, admission.batches() - batchesBefore, "the held batch, then one batch of the eight");

            Map<String, Integer> published = new HashMap<>();
            for (TextMessage message : queue.drain(1_000)) {
                published.merge(message.getStringProperty("eventId"), 1, Integer::sum);
            }
            assertEquals(Map.of(recorded, 1, holder, 1, repeated, 1, single, 1), published);
        }
    }

    @Test
    void aBatchTheBrokerFailsIsAnswered503EverywhereAndItsRetriesAreAccepted() throws Exception {
        List<String> ids = newIds(20);
        new EventQueue(broker.url(), "gc-outage", "order.placed").close(); // the queue exists and keeps what comes
        broker.stop();
        try {
            for (HttpResponse<String> refused : deliverAllRefused(ids)) {
                assertEquals("5", refused.headers().firstValue("Retry-After").orElse(""));
            }
        } finally {
            broker.start();
        }
        try (EventQueue queue = new EventQueue(broker.url(), "gc-outage", "order.placed")) {
            assertRetriesAcceptedAndPublishedOnce(ids, queue);
        }
    }

    static List<String> newIds(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add("msg_" + UUID.randomUUID());
        }
        return ids;
    }

    /** Sends an order for each id at once, while something the door needs is down: every one is answered 503. */
    List<HttpResponse<String>> deliverAllRefused(List<String> ids) throws Exception {
        byte[] order = GoldenEvents.read("shop-order-placed-small.json");
        List<Future<HttpResponse<String>>> sent = new ArrayList<>();
        for (String id : ids) {
            sent.add(deliver(sender, id, order));
        }
        List<HttpResponse<String>> refused = new ArrayList<>();
        for (Future<HttpResponse<String>> response : sent) {
            WebhookGatewayScenarios.assertProblem(response.get(), 503, "unavailable");
            refused.add(response.get());
        }
        return refused;
    }

    /** Once it is back: each sender's retry is accepted (never answered as a duplicate), and published once. */
    void assertRetriesAcceptedAndPublishedOnce(List<String> ids, EventQueue queue) throws Exception {
        byte[] order = GoldenEvents.read("shop-order-placed-small.json");
        for (String id : ids) {
            HttpResponse<String> retried = WebhookGatewayScenarios.eventually(
                    () -> sender.standardWebhooks("shop", SHOP_SECRET, id, order), r -> r.statusCode() != 503);
            assertEquals(202, retried.statusCode(), retried.body());
        }
        Set<String> published = new HashSet<>();
        List<TextMessage> messages = queue.drain(1_000);
        for (TextMessage message : messages) {
            published.add(message.getStringProperty("eventId"));
        }
        assertEquals(ids.size(), messages.size(), "nothing of the failed batches was published");
        assertEquals(Set.copyOf(ids), published);
    }

    /**
     * Copies of one event at two instances, in batches that race on the receipt: one instance's insert waits for the
     * other's transaction, fails on the primary key once it commits, and its batch is tried again and finds the
     * receipt.
     */
    @Test
    void copiesOfOneEventAtTwoInstancesGiveOneAcceptanceAndOneMessage() throws Exception {
        byte[] order = GoldenEvents.read("shop-order-placed-small.json");
        String id = "msg_" + UUID.randomUUID();
        try (HookrailInstance other = instance();
             EventQueue queue = new EventQueue(broker.url(), "gc-race", "order.placed")) {
            WebhookSender otherSender = new WebhookSender(other.baseUrl());
            List<Future<HttpResponse<String>>> copies = new ArrayList<>();
            long batchesHere = admission(hookrail).batches();
            long batchesThere = admission(other).batches();
            try (HeldReceipt held = new HeldReceipt(hookrail, "shop", id)) {
                // each instance's first copy is in a batch that waits on the held receipt
                copies.add(deliver(sender, id, order));
                copies.add(deliver(otherSender, id, order));
                assertTrue(Await.until(() -> admission(hookrail).batches() == batchesHere + 1
                        && admission(other).batches() == batchesThere + 1
                        && admission(hookrail).waiting() == 0 && admission(other).waiting() == 0));
                for (int i = 0; i < 4; i++) {
                    copies.add(deliver(sender, id, order));
                    copies.add(deliver(otherSender, id, order));
                }
                assertTrue(Await.until(() -> admission(hookrail).waiting() == 4 && admission(other).waiting() == 4));
            }
            assertEquals(Map.of(202, 1, 200, 9), statuses(copies));
            long published = 0;
            for (TextMessage message : queue.drain(1_000)) {
                published += id.equals(message.getStringProperty("eventId")) ? 1 : 0;
            }
            assertEquals(1, published);
        }
    }

    Future<HttpResponse<String>> deliver(WebhookSender to, String id, byte[] body) {
        return callers.submit(() -> to.standardWebhooks("shop", SHOP_SECRET, id, body));
    }

    static Map<Integer, Integer> statuses(List<Future<HttpResponse<String>>> responses) throws Exception {
        Map<Integer, Integer> byStatus = new HashMap<>();
        for (Future<HttpResponse<String>> response : responses) {
            byStatus.merge(response.get().statusCode(), 1, Integer::sum);
        }
        return byStatus;
    }

    static EventAdmission admission(HookrailInstance instance) {
        return instance.camelContext().getRegistry().lookupByNameAndType(EventAdmission.BEAN, EventAdmission.class);
    }

    /** A receipt inserted in a transaction of its own, open until closed, then rolled back: as if another instance
     * were writing it. */
    static final class HeldReceipt implements AutoCloseable {
        private final Connection transaction;

        HeldReceipt(HookrailInstance instance, String source, String eventId) throws Exception {
            DataSource store = instance.camelContext().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
            transaction = store.getConnection();
            transaction.setAutoCommit(false);
            try (PreparedStatement insert = transaction.prepareStatement("INSERT INTO ingest_receipt (source, event_id,"
                    + " event_type, correlation_id, received_at) VALUES (?, ?, 'order.placed', 'held', ?)")) {
                insert.setString(1, source);
                insert.setString(2, eventId);
                insert.setObject(3, OffsetDateTime.now());
                insert.executeUpdate();
            }
        }

        @Override
        public void close() throws Exception {
            transaction.rollback();
            transaction.close();
        }
    }
}

package io.hookrail.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.support.EventQueue;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.GoldenEvents.Golden;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.LogCapture;
import io.hookrail.support.StandaloneBroker;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.WebhookSender;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.hookrail.support.GoldenEvents.CRM_SECRET;
import static io.hookrail.support.GoldenEvents.PAYMENTS_SECRET;
import static io.hookrail.support.GoldenEvents.SHOP_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's contract (DESIGN section 3) over real HTTP on loopback, against a real embedded ActiveMQ and a real
 * database; each subclass picks the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebhookGatewayScenarios {

    static final String ROTATED_CRM_SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("a-new-crm-secret-of-32-bytes-len".getBytes(StandardCharsets.UTF_8));
    static final String FORGE_SECRET = "It's a Secret to Everybody";
    static final ObjectMapper JSON = new ObjectMapper();

    TestDatabase database;
    HookrailInstance hookrail;
    WebhookSender sender;

    abstract TestDatabase database();

    @BeforeAll
    void startHookrail() {
        database = database();
        hookrail = HookrailInstance.builder()
                .database(database)
                // a GitHub-signed source, and a CRM secret rotation in progress
                .property("hookrail.sources", "shop,payments,crm,support,forge")
                .property("hookrail.source.forge.scheme", "github")
                .property("hookrail.source.forge.secret", FORGE_SECRET)
                .property("hookrail.source.forge.eventTypes", "lead.qualified")
                .property("hookrail.source.crm.secondarySecret", ROTATED_CRM_SECRET)
                .start();
        sender = new WebhookSender(hookrail.baseUrl());
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
        database.close();
    }

    @Test
    void goldenEventsAreAcceptedAndPublishedAsCloudEvents() throws Exception {
        Map<String, EventQueue> queues = new HashMap<>();
        try {
            for (Golden golden : GoldenEvents.ALL) {
                queues.computeIfAbsent(golden.type(), type -> new EventQueue(hookrail.brokerUrl(), "golden-test", type));
            }
            for (Golden golden : GoldenEvents.ALL) {
                String id = golden.isStripe() ? "evt_1QpXw2Hk8sTz9aB3" : "msg_" + UUID.randomUUID();
                HttpResponse<String> response = golden.isStripe()
                        ? sender.stripe(golden.source(), golden.secret(), golden.body())
                        : sender.standardWebhooks(golden.source(), golden.secret(), id, golden.body());
                assertEquals(202, response.statusCode(), golden + ": " + response.body());
                assertEquals(JSON.readTree("{\"id\":\"" + id + "\",\"status\":\"accepted\"}"), JSON.readTree(response.body()));

                TextMessage message = queues.get(golden.type()).receive(10_000);
                assertNotNull(message, golden + " was not published");
                JsonNode event = JSON.readTree(message.getText());
                JsonNode sent = JSON.readTree(golden.body());
                assertEquals("1.0", event.get("specversion").asText());
                assertEquals(id, event.get("id").asText());
                assertEquals(golden.type(), event.get("type").asText());
                assertEquals("/webhooks/" + golden.source(), event.get("source").asText());
                assertEquals("urn:hookrail:schema:" + golden.type() + ":v1", event.get("dataschema").asText());
                assertEquals(response.headers().firstValue("X-Correlation-Id").orElseThrow(),
                        event.get("correlationid").asText());
                // published with its personal fields encrypted; decrypted, the data as sent
                io.hookrail.privacy.PersonalData personal = hookrail.camelContext().getRegistry().lookupByNameAndType(
                        io.hookrail.privacy.PersonalData.BEAN, io.hookrail.privacy.PersonalData.class);
                assertFalse(message.getText().contains("@example."), message.getText());
                assertEquals(golden.isStripe() ? sent.at("/data/object") : sent.get("data"),
                        personal.decryptEvent(event).get("data"));
                assertEquals(id, message.getStringProperty("eventId"));
                assertTrue(message.getJMSDeliveryMode() == jakarta.jms.DeliveryMode.PERSISTENT);
            }
        } finally {
            for (EventQueue queue : queues.values()) {
                queue.close();
            }
        }
    }

    @Test
    void repeatedEventIsAnsweredAsDuplicateAndPublishedOnce() throws Exception {
        Golden lead = GoldenEvents.named("crm-lead-qualified.json");
        String id = "msg_" + UUID.randomUUID();
        try (EventQueue queue = new EventQueue(hookrail.brokerUrl(), "dedup-test", lead.type())) {
            assertEquals(202, sender.standardWebhooks("crm", CRM_SECRET, id, lead.body()).statusCode());
            HttpResponse<String> again = sender.standardWebhooks("crm", CRM_SECRET, id, lead.body());
            assertEquals(200, again.statusCode());
            assertEquals(JSON.readTree("{\"id\":\"" + id + "\",\"status\":\"duplicate\"}"), JSON.readTree(again.body()));
            assertEquals(1, queue.drain(1_000).size());
        }
    }

    @Test
    void fiftyConcurrentDeliveriesOfOneEventGiveOneAcceptanceAndOneMessage() throws Exception {
        Golden order = GoldenEvents.named("shop-order-placed-small.json");
        String id = "msg_" + UUID.randomUUID();
        int deliveries = 50;
        ExecutorService pool = Executors.newFixedThreadPool(deliveries);
        try (EventQueue queue = new EventQueue(hookrail.brokerUrl(), "race-test", order.type())) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < deliveries; i++) {
                Callable<Integer> delivery = () -> {
                    start.await();
                    return sender.standardWebhooks("shop", SHOP_SECRET, id, order.body()).statusCode();
                };
                statuses.add(pool.submit(delivery));
            }
            start.countDown();
            Map<Integer, Integer> byStatus = new HashMap<>();
            for (Future<Integer> status : statuses) {
                byStatus.merge(status.get(), 1, Integer::sum);
            }
            assertEquals(Map.of(202, 1, 200, deliveries - 1), byStatus);
            assertEquals(1, queue.drain(1_000).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownSourceIsRefusedWith404() throws Exception {
        HttpResponse<String> response = sender.standardWebhooks("warehouse", SHOP_SECRET, "msg_1",
                GoldenEvents.read("shop-order-placed-small.json"));
        assertProblem(response, 404, "unknown-source");
    }

    @Test
    void sourceComesFromThePathNotFromARequestHeader() throws Exception {
        byte[] order = GoldenEvents.read("shop-order-placed-small.json");
        String id = "msg_" + UUID.randomUUID();
        long ts = Instant.now().getEpochSecond();
        HttpResponse<String> response = sender.post("shop", Map.of("source", "crm", "webhook-id", id,
                "webhook-timestamp", String.valueOf(ts),
                "webhook-signature", io.hookrail.ingest.signature.StandardWebhooksScheme.sign(SHOP_SECRET, id, ts, order)),
                order);
        assertEquals(202, response.statusCode(), response.body());
    }

    @Test
    void bodyThatIsNotJsonIsRefusedWith415() throws Exception {
        HttpResponse<String> response = sender.send("shop", Map.of("Content-Type", "text/plain"),
                HttpRequest.BodyPublishers.ofString("order placed"));
        assertProblem(response, 415, "unsupported-media-type");
    }

    @Test
    void missingSignatureIsRefusedWith401() throws Exception {
        HttpResponse<String> response = sender.post("shop", Map.of("webhook-id", "msg_x"),
                GoldenEvents.read("shop-order-placed-small.json"));
        assertProblem(response, 401, "invalid-signature");
    }

    @Test
    void signatureWithAnotherSourcesSecretIsRefusedWith401() throws Exception {
        HttpResponse<String> response = sender.standardWebhooks("shop", CRM_SECRET, "msg_" + UUID.randomUUID(),
                GoldenEvents.read("shop-order-placed-small.json"));
        assertProblem(response, 401, "invalid-signature");
    }

    @Test
    void staleTimestampIsRefusedWith401() throws Exception {
        HttpResponse<String> response = sender.standardWebhooks("shop", SHOP_SECRET, "msg_" + UUID.randomUUID(),
                GoldenEvents.read("shop-order-placed-small.json"), Instant.now().minusSeconds(301));
        assertProblem(response, 401, "invalid-signature");
        assertTrue(response.body().contains("tolerance"), response.body());
    }

    @Test
    void invalidJsonIsRefusedWith400() throws Exception {
        HttpResponse<String> response = sender.standardWebhooks("shop", SHOP_SECRET, "msg_" + UUID.randomUUID(),
                "{\"type\":\"order.placed\",".getBytes(StandardCharsets.UTF_8));
        assertProblem(response, 400, "malformed-event");
    }

    @Test
    void everyContractViolationIsListedIn400() throws Exception {
        String body = "{\"type\":\"order.placed\",\"data\":{\"orderId\":\"ORD-1\",\"customer\":{\"id\":\"C\",\"email\":"
                + "\"not-an-email\",\"name\":\"N\"},\"currency\":\"eur\",\"amountMinor\":12.5,\"lines\":[]}}";
        HttpResponse<String> response = sender.standardWebhooks("shop", SHOP_SECRET, "msg_" + UUID.randomUUID(),
                body.getBytes(StandardCharsets.UTF_8));
        JsonNode problem = assertProblem(response, 400, "contract-violation");
        List<String> pointers = new ArrayList<>();
        problem.get("errors").forEach(error -> pointers.add(error.get("pointer").asText()));
        assertTrue(pointers.containsAll(List.of("/data/amountMinor", "/data/currency", "/data/customer/email",
                "/data/lines")), pointers.toString());
    }

    @Test
    void eventTypeTheSourceMayNotSendIsRefusedWith422() throws Exception {
        HttpResponse<String> response = sender.standardWebhooks("shop", SHOP_SECRET, "msg_" + UUID.randomUUID(),
                GoldenEvents.read("crm-lead-qualified.json"));
        assertProblem(response, 422, "event-type-not-allowed");
    }

    @Test
    void declaredFiftyMebibyteBodyIsRefusedWith413() throws Exception {
        HttpResponse<String> response = sender.send("shop", Map.of("Content-Type", "application/json"),
                HttpRequest.BodyPublishers.fromPublisher(zeros(50L << 20), 50L << 20));
        assertProblem(response, 413, "payload-too-large");
    }

    @Test
    void chunkedBodyOverTheLimitIsRefusedWith413() throws Exception {
        HttpResponse<String> response = sender.send("shop", Map.of("Content-Type", "application/json"),
                HttpRequest.BodyPublishers.fromPublisher(zeros(2L << 20)));
        assertProblem(response, 413, "payload-too-large");
    }

    @Test
    void stripeSignedEventIsVerified() throws Exception {
        byte[] body = ("{\"id\":\"evt_" + UUID.randomUUID() + "\",\"object\":\"event\",\"type\":\"invoice.paid\","
                + "\"created\":1763637000,\"data\":{\"object\":{\"invoiceId\":\"INV-9\",\"orderId\":\"ORD-9\","
                + "\"paymentId\":\"PAY-9\",\"currency\":\"EUR\",\"amountMinor\":100,\"paidAt\":\"2026-11-20T10:30:00Z\"}}}")
                .getBytes(StandardCharsets.UTF_8);
        assertProblem(sender.stripe("payments", SHOP_SECRET, body), 401, "invalid-signature");
        assertEquals(202, sender.stripe("payments", PAYMENTS_SECRET, body).statusCode());
    }

    @Test
    void gitHubSignedEventIsVerified() throws Exception {
        Golden lead = GoldenEvents.named("crm-lead-qualified.json");
        byte[] data = JSON.writeValueAsBytes(JSON.readTree(lead.body()).get("data"));
        String delivery = UUID.randomUUID().toString();
        assertProblem(sender.github("forge", "not the secret", delivery, "lead.qualified", data), 401,
                "invalid-signature");
        assertEquals(202, sender.github("forge", FORGE_SECRET, delivery, "lead.qualified", data).statusCode());
        assertEquals(200, sender.github("forge", FORGE_SECRET, delivery, "lead.qualified", data).statusCode());
    }

    @Test
    void gitHubEventsAreDeduplicatedByTheHashOfTheSignedBodyNotTheUnsignedDeliveryId() throws Exception {
        Golden lead = GoldenEvents.named("crm-lead-qualified.json");
        JsonNode data = JSON.readTree(lead.body()).get("data");
        byte[] body = JSON.writeValueAsBytes(((com.fasterxml.jackson.databind.node.ObjectNode) data.deepCopy())
                .put("leadId", "lead-" + UUID.randomUUID()));
        HttpResponse<String> first = sender.github("forge", FORGE_SECRET, UUID.randomUUID().toString(),
                "lead.qualified", body);
        assertEquals(202, first.statusCode(), first.body());
        String id = JSON.readTree(first.body()).get("id").asText();
        assertEquals(io.hookrail.ingest.EventIds.ofBody(body), id);
        // the captured delivery re-posted under a new X-GitHub-Delivery (which GitHub does not sign)
        HttpResponse<String> replay = sender.github("forge", FORGE_SECRET, UUID.randomUUID().toString(),
                "lead.qualified", body);
        assertEquals(200, replay.statusCode(), replay.body());
        assertEquals("duplicate", JSON.readTree(replay.body()).get("status").asText());
        // and the unsigned type header cannot relabel it: the source allows one type
        assertProblem(sender.github("forge", FORGE_SECRET, UUID.randomUUID().toString(), "order.placed", body), 422,
                "event-type-not-allowed");
    }

    /**
     * The measured attack of issue 10: a captured Standard Webhooks delivery re-posted with its webhook-id header
     * removed and the id, padded, in the query string (which platform-http copies into a header). It was accepted
     * three times as three new events; now each is refused 401 before verification, and nothing is published twice.
     */
    @Test
    void aCapturedDeliveryReplayedWithItsIdInTheQueryStringIsNeverAcceptedAgain() throws Exception {
        Golden lead = GoldenEvents.named("crm-lead-qualified.json");
        String id = "msg_" + UUID.randomUUID();
        Map<String, String> captured = WebhookSender.standardWebhooksHeaders(CRM_SECRET, id, lead.body(), Instant.now());
        try (EventQueue queue = new EventQueue(hookrail.brokerUrl(), "query-replay-test", lead.type())) {
            assertEquals(202, sender.post("crm", captured, lead.body()).statusCode());
            Map<String, String> withoutId = new HashMap<>(captured);
            withoutId.remove("webhook-id");
            for (String query : List.of("webhook-id=" + id + "%20", "webhook-id=" + id + "%20%20",
                    "webhook-id=%20" + id, "webhook-id=" + id, "WEBHOOK-ID=" + id + "%20", "webhook-id%20=" + id)) {
                HttpResponse<String> replay = sender.postWithQuery("crm", query, withoutId, lead.body());
                assertNotEquals(202, replay.statusCode(), query + ": " + replay.body());
                JsonNode problem = assertProblem(replay, 401, "signature-material-in-query");
                assertTrue(problem.get("detail").asText().contains("query"), problem.toString());
            }
            // with the header kept too, and for every other header a signature or the admin API reads
            for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature", "Stripe-Signature",
                    "X-Hub-Signature-256", "X-GitHub-Delivery", "X-GitHub-Event", "Authorization", "Content-Type",
                    "X-Correlation-Id")) {
                assertProblem(sender.postWithQuery("crm", name + "=x", captured, lead.body()), 401,
                        "signature-material-in-query");
            }
            // an innocent query parameter does not refuse it: the capture is then a plain duplicate
            HttpResponse<String> plain = sender.postWithQuery("crm", "utm=1", captured, lead.body());
            assertEquals(200, plain.statusCode(), plain.body());
            long published = 0;
            for (TextMessage message : queue.drain(1_000)) {
                published += id.equals(message.getStringProperty("eventId")) ? 1 : 0;
            }
            assertEquals(1, published, "published exactly once");
        }
    }

    @Test
    void aSignatureHeaderSentTwiceIsRefused() throws Exception {
        Golden lead = GoldenEvents.named("crm-lead-qualified.json");
        String id = "msg_" + UUID.randomUUID();
        Map<String, String> headers = WebhookSender.standardWebhooksHeaders(CRM_SECRET, id, lead.body(), Instant.now());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hookrail.baseUrl() + "/webhooks/crm"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(lead.body())).header("Content-Type", "application/json");
        headers.forEach(request::header);
        request.header("webhook-id", id + "x");
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(response, 401, "invalid-signature");
    }

    /** The one canonical id is both signed and deduplicated: any other shape is refused 400, never trimmed. */
    @Test
    void paddedOversizedOrControlCharacterEventIdsAreRefusedWith400() throws Exception {
        Golden lead = GoldenEvents.named("crm-lead-qualified.json");
        for (String id : List.of("msg_" + "x".repeat(197), "msg_a\tb", "msg_a b", "msg_é")) {
            String sent = id.replace("\\t", "\t");
            HttpResponse<String> response = sender.standardWebhooks("crm", CRM_SECRET, sent, lead.body());
            JsonNode problem = assertProblem(response, 400, "invalid-event-id");
            assertTrue(problem.get("detail").asText().length() < 300, problem.toString());
            assertFalse(problem.get("detail").asText().contains("\t"), problem.toString());
        }
        byte[] invoice = GoldenEvents.read("payments-invoice-paid.json");
        JsonNode event = JSON.readTree(invoice);
        for (String id : List.of("evt_1 ", " evt_1", "evt_1\u0007", "evt_1\n", "evt_" + "y".repeat(300))) {
            byte[] body = JSON.writeValueAsBytes(((com.fasterxml.jackson.databind.node.ObjectNode) event.deepCopy())
                    .put("id", id.replace("\\u0007", "\u0007").replace("\\n", "\n")));
            JsonNode problem = assertProblem(sender.stripe("payments", PAYMENTS_SECRET, body), 400, "invalid-event-id");
            assertEquals("/id", problem.get("errors").get(0).get("pointer").asText());
        }
    }

    @Test
    void anAuthorizationInTheQueryStringIsRefusedByTheAdminApi() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> viaQuery = http.send(HttpRequest.newBuilder(URI.create(hookrail.baseUrl()
                + "/api/events?Authorization=Bearer%20demo-operator-token")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode problem = assertProblem(viaQuery, 401, "unauthorized");
        assertTrue(problem.get("detail").asText().contains("query parameter"), problem.toString());
        // even next to a valid header: the token must not travel in a URL
        HttpResponse<String> both = http.send(HttpRequest.newBuilder(URI.create(hookrail.baseUrl()
                + "/api/events?authorization=x")).header("Authorization", "Bearer demo-operator-token").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(both, 401, "unauthorized");
        HttpResponse<String> header = http.send(HttpRequest.newBuilder(URI.create(hookrail.baseUrl()
                + "/api/events?correlationId=no-such-id")).header("Authorization", "Bearer demo-operator-token").GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(header.statusCode() != 401 && header.statusCode() != 403, header.statusCode() + " " + header.body());
    }

    @Test
    void echoedRequestValuesAreBoundedAndStrippedOfControlCharacters() throws Exception {
        HttpResponse<String> response = sender.send("crm", Map.of("Content-Type", "text/plain;" + "z".repeat(5_000)),
                HttpRequest.BodyPublishers.ofString("{}"));
        JsonNode problem = assertProblem(response, 415, "unsupported-media-type");
        assertTrue(problem.get("detail").asText().length() < 200, problem.toString());
        HttpResponse<String> unknown = sender.post("n%0Ao%0D" + "s".repeat(3_000), Map.of(), "{}".getBytes());
        JsonNode notFound = assertProblem(unknown, 404, "unknown-source");
        assertFalse(notFound.toString().contains("\\n"), notFound.toString());
        assertTrue(notFound.get("detail").asText().length() < 200, notFound.toString());
        assertTrue(notFound.get("instance").asText().length() <= 201, notFound.toString());
    }

    @Test
    void bothSecretsOfARotationAreAccepted() throws Exception {
        byte[] body = GoldenEvents.read("crm-lead-qualified.json");
        assertEquals(202, sender.standardWebhooks("crm", CRM_SECRET, "msg_" + UUID.randomUUID(), body).statusCode());
        assertEquals(202, sender.standardWebhooks("crm", ROTATED_CRM_SECRET, "msg_" + UUID.randomUUID(), body)
                .statusCode());
    }

    @Test
    void correlationIdIsEchoedAndInTheMdcOfEveryLogLineOfTheEvent() throws Exception {
        String id = "msg_" + UUID.randomUUID();
        try (LogCapture logs = LogCapture.open()) {
            HttpResponse<String> response = sender.post("crm", signedHeaders(id, "corr-42"),
                    GoldenEvents.read("crm-lead-qualified.json"));
            assertEquals(202, response.statusCode());
            assertEquals("corr-42", response.headers().firstValue("X-Correlation-Id").orElseThrow());

            List<LogEvent> lines = logs.events().stream()
                    .filter(e -> id.equals(e.getContextData().getValue("eventId"))
                            || e.getMessage().getFormattedMessage().contains(id))
                    .toList();
            assertFalse(lines.isEmpty(), "no log line for the event");
            lines.forEach(line -> assertEquals("corr-42", line.getContextData().getValue("correlationId"),
                    line.getMessage().getFormattedMessage()));
        }
        HttpResponse<String> unsafe = sender.post("crm", signedHeaders("msg_" + UUID.randomUUID(), "forged id; with spaces"),
                GoldenEvents.read("crm-lead-qualified.json"));
        String generated = unsafe.headers().firstValue("X-Correlation-Id").orElseThrow();
        assertFalse(generated.contains("forged"), generated);
    }

    @Test
    void brokerOutageAnswers503AndTheSendersRetryIsAcceptedOnceTheBrokerIsBack() throws Exception {
        Golden order = GoldenEvents.named("shop-order-placed-unicode.json");
        try (StandaloneBroker broker = new StandaloneBroker(Files.createTempDirectory("broker-")).start();
             HookrailInstance instance = HookrailInstance.builder().database(database)
                     .property("hookrail.broker.url", broker.url()).start()) {
            WebhookSender client = new WebhookSender(instance.baseUrl());
            HttpClient http = HttpClient.newHttpClient();
            try (EventQueue queue = new EventQueue(broker.url(), "outage-test", order.type())) {
                assertEquals(202, client.standardWebhooks("shop", SHOP_SECRET, "msg_" + UUID.randomUUID(),
                        order.body()).statusCode());
                assertEquals(1, queue.drain(500).size());
            }

            broker.stop();
            String id = "msg_" + UUID.randomUUID();
            HttpResponse<String> refused = client.standardWebhooks("shop", SHOP_SECRET, id, order.body());
            assertProblem(refused, 503, "unavailable");
            assertEquals("5", refused.headers().firstValue("Retry-After").orElse(""));
            assertEquals(503, health(http, instance, "/observe/health/ready").statusCode());

            broker.start();
            try (EventQueue queue = new EventQueue(broker.url(), "outage-test", order.type())) {
                // a sender retries on 503: the retry must be accepted, never answered as a duplicate
                HttpResponse<String> retried = eventually(() -> client.standardWebhooks("shop", SHOP_SECRET, id,
                        order.body()), r -> r.statusCode() != 503);
                assertEquals(202, retried.statusCode(), retried.body());
                List<TextMessage> published = queue.drain(1_000);
                assertEquals(1, published.size());
                assertEquals(id, published.get(0).getStringProperty("eventId"));
            }
            assertEquals(200, eventually(() -> health(http, instance, "/observe/health/ready"),
                    r -> r.statusCode() == 200).statusCode());
        }
    }

    @Test
    void everyFlowQueueExistsOnceTheGatewayIsOpen() throws Exception {
        var mbeans = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        String broker = "hookrail-" + java.net.URI.create(hookrail.brokerUrl()).getPort();
        for (String queue : List.of("Consumer.order-fulfilment.VirtualTopic.order.placed",
                "Consumer.invoice-paid.VirtualTopic.invoice.paid", "Consumer.lead-qualified.VirtualTopic.lead.qualified")) {
            assertTrue(mbeans.isRegistered(new javax.management.ObjectName("org.apache.activemq:type=Broker,brokerName="
                    + broker + ",destinationType=Queue,destinationName=" + queue)), queue);
        }
    }

    @Test
    void healthReportsBrokerAndStore() throws Exception {
        HttpResponse<String> health = health(HttpClient.newHttpClient(), hookrail, "/observe/health");
        assertEquals(200, health.statusCode(), health.body());
        List<String> up = new ArrayList<>();
        JSON.readTree(health.body()).get("checks").forEach(check -> {
            if ("UP".equals(check.get("status").asText())) {
                up.add(check.get("name").asText());
            }
        });
        assertTrue(up.containsAll(List.of("broker", "store", "route:webhook-ingest")), up.toString());
        assertEquals(200, health(HttpClient.newHttpClient(), hookrail, "/observe/health/live").statusCode());
    }

    @Test
    void deliveryWhileTheGatewayRouteIsStoppedIsAnswered503() throws Exception {
        hookrail.camelContext().getRouteController().stopRoute("webhook-ingest");
        try {
            HttpResponse<String> response = sender.standardWebhooks("shop", SHOP_SECRET, "msg_" + UUID.randomUUID(),
                    GoldenEvents.read("shop-order-placed-small.json"));
            assertProblem(response, 503, "unavailable");
            assertTrue(response.headers().firstValue("Retry-After").isPresent());
        } finally {
            hookrail.camelContext().getRouteController().startRoute("webhook-ingest");
        }
    }

    static HttpResponse<String> health(HttpClient http, HookrailInstance instance, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(instance.managementUrl() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Repeats the call, as a sender or a probe would, until the answer satisfies the condition (at most 30 s). */
    static <T> T eventually(Callable<T> call, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        T result = call.call();
        while (!done.test(result) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            result = call.call();
        }
        return result;
    }

    private static Map<String, String> signedHeaders(String id, String correlationId) {
        long ts = Instant.now().getEpochSecond();
        byte[] body = GoldenEvents.read("crm-lead-qualified.json");
        return Map.of("webhook-id", id, "webhook-timestamp", String.valueOf(ts),
                "webhook-signature", io.hookrail.ingest.signature.StandardWebhooksScheme.sign(CRM_SECRET, id, ts, body),
                "X-Correlation-Id", correlationId);
    }

    static JsonNode assertProblem(HttpResponse<String> response, int status, String problem) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.headers().firstValue("X-Correlation-Id").isPresent(), "no X-Correlation-Id");
        JsonNode body = JSON.readTree(response.body());
        assertEquals("urn:hookrail:problem:" + problem, body.get("type").asText());
        assertEquals(status, body.get("status").asInt());
        assertFalse(body.get("detail").asText().isBlank());
        return body;
    }

    /** A body of the given size, produced lazily so the test never holds it in memory either. */
    static Flow.Publisher<ByteBuffer> zeros(long size) {
        return subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private long sent;
            private boolean done;

            @Override
            public synchronized void request(long n) {
                for (long i = 0; i < n && !done; i++) {
                    if (sent >= size) {
                        done = true;
                        subscriber.onComplete();
                        return;
                    }
                    int chunk = (int) Math.min(64 * 1024, size - sent);
                    sent += chunk;
                    subscriber.onNext(ByteBuffer.wrap(new byte[chunk]));
                }
            }

            @Override
            public synchronized void cancel() {
                done = true;
            }
        });
    }
}

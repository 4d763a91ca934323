package io.hookrail.flow;

import java.util.List;
import java.util.UUID;

import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.broker.EventRequester;
import io.hookrail.broker.EventSeal;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.WebhookSender;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An event put on the broker by anybody but Hookrail's gateway (a well-formed CloudEvent, with no seal or with a
 * seal of another key) is dead-lettered as forged, and none of its effects happens; an operator's replay of it does
 * not make it Hookrail's (it is dead-lettered as forged again).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForgedEventTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String QUEUE = "Consumer.order-fulfilment.VirtualTopic.order.placed";

    TestDatabase database;
    HookrailInstance hookrail;

    @BeforeAll
    void startHookrail() {
        database = TestDatabase.embeddedDefault();
        hookrail = HookrailInstance.builder().database(database).start();
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
        database.close();
    }

    @Test
    void anEventPutOnTheBrokerByAnyoneElseIsDeadLetteredAsForged() throws Exception {
        AdminClient operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
        SandboxClient sandbox = new SandboxClient(hookrail.baseUrl());
        String unsealed = inject(null);
        String otherKey = inject(new EventSeal(new byte[32]));
        for (String eventId : List.of(unsealed, otherKey)) {
            assertTrue(Await.until(() -> operator.deadLetter("order-fulfilment", eventId).isPresent()), eventId);
            JsonNode letter = operator.deadLetter("order-fulfilment", eventId).orElseThrow();
            assertEquals("poison", letter.path("kind").asText(), letter.toString());
            assertTrue(letter.path("error").asText().startsWith("forged"), letter.toString());
        }

        // replayed by an operator, a forged dead letter is not sealed for them: it is dead-lettered as forged again
        String firstLetter = operator.deadLetter("order-fulfilment", unsealed).orElseThrow().path("id").asText();
        assertEquals(200, operator.postRaw("/api/dlq/" + firstLetter + "/replay", "{}").statusCode());
        assertTrue(Await.until(() -> operator.deadLetter("order-fulfilment", unsealed)
                .filter(letter -> !letter.path("id").asText().equals(firstLetter)).isPresent()), unsealed);
        JsonNode again = operator.deadLetter("order-fulfilment", unsealed).orElseThrow();
        assertTrue(again.path("error").asText().startsWith("forged"), again.toString());

        // a real order sent after them runs; the forged ones had no effect
        String orderId = "ORD-" + UUID.randomUUID();
        assertEquals(202, new WebhookSender(hookrail.baseUrl()).standardWebhooks("shop", GoldenEvents.SHOP_SECRET,
                "msg_" + UUID.randomUUID(), GoldenEvents.withField("shop-order-placed-small.json", "orderId", orderId))
                .statusCode());
        assertEquals(List.of("invoice.create", "payment.capture", "email.send"),
                sandbox.awaitOperations(orderId, ops -> ops.contains("email.send")));
        assertEquals(List.of(), sandbox.operations("ORD-FORGED-" + unsealed));
        assertEquals(List.of(), sandbox.operations("ORD-FORGED-" + otherKey));
    }

    /** Puts a well-formed order CloudEvent straight on the flow's queue, sealed with the given seal or none. */
    String inject(EventSeal seal) throws Exception {
        String eventId = "forged-" + UUID.randomUUID();
        ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", eventId)
                .put("source", "/webhooks/shop").put("type", "order.placed").put("datacontenttype", "application/json");
        JsonNode sample = JSON.readTree(GoldenEvents.withField("shop-order-placed-small.json", "orderId",
                "ORD-FORGED-" + eventId));
        event.set("data", sample.get("data"));
        try (Connection connection = new ActiveMQConnectionFactory(hookrail.brokerUrl()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage message = session.createTextMessage(event.toString());
            message.setStringProperty("eventId", eventId);
            message.setStringProperty("eventType", "order.placed");
            if (seal != null) {
                seal.seal(message, EventRequester.source("shop"));
            }
            session.createProducer(session.createQueue(QUEUE)).send(message);
        }
        return eventId;
    }
}

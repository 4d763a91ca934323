package io.hookrail.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code hookrail.recorder.dir} set, an accepted event is written as an example: its CloudEvent, every personal
 * field redacted, still valid against the contract it was accepted under. Off by default
 * ({@link OrderPlacedV2Test#theRecorderIsOffByDefault}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecorderTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path recorded;
    TestDatabase database;
    HookrailInstance hookrail;

    @BeforeAll
    void startHookrail() {
        database = TestDatabase.embeddedDefault();
        hookrail = HookrailInstance.builder().database(database)
                .property("hookrail.recorder.dir", recorded.toString()).start();
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
        database.close();
    }

    @Test
    void anAcceptedEventIsRecordedWithItsPersonalFieldsRedacted() throws Exception {
        String id = "msg_" + UUID.randomUUID();
        byte[] body = GoldenEvents.read("shop-order-placed-v2.json");
        assertEquals(202, new WebhookSender(hookrail.baseUrl())
                .standardWebhooks("shop", GoldenEvents.SHOP_SECRET, id, body).statusCode());
        Path file = recorded.resolve("shop-order.placed-" + id + ".json");
        assertTrue(Await.until(() -> Files.exists(file)), "no example " + file);

        String text = Files.readString(file);
        JsonNode example = JSON.readTree(text);
        JsonNode sent = JSON.readTree(body).get("data");
        assertEquals(id, example.get("id").asText());
        assertEquals("urn:hookrail:schema:order.placed:v2", example.get("dataschema").asText());
        assertEquals(sent.get("orderId"), example.get("data").get("orderId"));
        assertEquals(sent.get("lines"), example.get("data").get("lines"));
        for (String personal : List.of(sent.at("/customer/email").asText(), sent.at("/customer/name").asText(),
                "Jonas", "Berg", "Storgatan", "Uppsala", "753 20", "\"SE\"")) {
            assertFalse(text.contains(personal), personal + " in " + text);
        }
        assertEquals("XX", example.at("/data/shippingAddress/country").asText());
        EventContracts contracts = EventContracts.load(List.of("order.placed"));
        assertEquals(List.of(), contracts.violations("order.placed", 2, example.get("data")));
    }
}

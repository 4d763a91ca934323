package io.hookrail.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * order.placed v1 and v2 side by side: both pass the gateway and run order-fulfilment to the end; a v2 with a bad
 * shipping address, or a declared version the type does not have, is refused with a pointer to the problem.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderPlacedV2Test {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FULFILLED = List.of("invoice.create", "payment.capture", "email.send");

    TestDatabase database;
    HookrailInstance hookrail;
    WebhookSender sender;
    SandboxClient sandbox;

    @BeforeAll
    void startHookrail() {
        database = TestDatabase.embeddedDefault();
        hookrail = HookrailInstance.builder().database(database).start();
        sender = new WebhookSender(hookrail.baseUrl());
        sandbox = new SandboxClient(hookrail.baseUrl());
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
        database.close();
    }

    @Test
    void aV1AndAV2OrderAreBothFulfilled() throws Exception {
        String v1 = "ORD-" + UUID.randomUUID();
        String v2 = "ORD-" + UUID.randomUUID();
        assertEquals(202, send(GoldenEvents.withField("shop-order-placed-small.json", "orderId", v1)).statusCode());
        assertEquals(202, send(GoldenEvents.withField("shop-order-placed-v2.json", "orderId", v2)).statusCode());
        assertEquals(FULFILLED, sandbox.awaitOperations(v1, ops -> ops.contains("email.send")));
        assertEquals(FULFILLED, sandbox.awaitOperations(v2, ops -> ops.contains("email.send")));
    }

    @Test
    void aV2WithABadShippingAddressIsRefusedWithAPointer() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(GoldenEvents.read("shop-order-placed-v2.json"));
        ((ObjectNode) body.get("data").get("shippingAddress")).put("country", "Sweden").remove("city");
        HttpResponse<String> response = send(JSON.writeValueAsBytes(body));
        assertEquals(400, response.statusCode(), response.body());
        JsonNode problem = JSON.readTree(response.body());
        List<String> pointers = JSON.convertValue(problem.findValues("pointer"), JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class));
        assertTrue(pointers.contains("/data/shippingAddress/country"), response.body());
        assertTrue(pointers.stream().anyMatch(p -> p.startsWith("/data/shippingAddress")), response.body());

        // the same address sent as a v1 event is an unknown property, which v1 ignores
        body.remove("dataschema");
        ((ObjectNode) body.get("data")).put("orderId", "ORD-" + UUID.randomUUID());
        assertEquals(202, send(JSON.writeValueAsBytes(body)).statusCode());
    }

    @Test
    void aDeclaredVersionTheTypeDoesNotHaveIsRefused() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(GoldenEvents.read("shop-order-placed-v2.json"));
        body.put("dataschema", "urn:hookrail:schema:order.placed:v9");
        HttpResponse<String> response = send(JSON.writeValueAsBytes(body));
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("/dataschema"), response.body());
        assertTrue(response.body().contains("urn:hookrail:schema:order.placed:v2"), response.body());
        body.put("dataschema", "urn:hookrail:schema:invoice.paid:v1");
        assertEquals(400, send(JSON.writeValueAsBytes(body)).statusCode());
    }

    @Test
    void theRecorderIsOffByDefault() {
        assertNull(hookrail.camelContext().getRoute("event-recorder"));
    }

    private HttpResponse<String> send(byte[] body) {
        return sender.standardWebhooks("shop", GoldenEvents.SHOP_SECRET, "msg_" + UUID.randomUUID(), body);
    }
}

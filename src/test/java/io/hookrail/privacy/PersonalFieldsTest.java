package io.hookrail.privacy;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.ops.logging.PersonalDataMasking;
import io.hookrail.support.GoldenEvents;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schemas' markings as paths, the encryption of exactly those values, and the log masking derived from them. */
class PersonalFieldsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSchemasMarkTheCustomersTheLeadsAndTheRequestersPersonalData() {
        PersonalFields fields = PersonalFields.discover();
        // v2 adds the shipping address: one set of markings for every major of a type
        assertEquals(List.of("/customer/email", "/customer/name", "/shippingAddress"), fields.paths("order.placed"));
        assertEquals(List.of("/email", "/name"), fields.paths("lead.qualified"));
        assertEquals(List.of("/reason", "/requestedBy"), fields.paths("refund.requested").stream().sorted().toList());
        assertEquals(List.of(), fields.paths("invoice.paid"));
        assertEquals(Set.of("email", "name", "reason", "requestedBy", "shippingAddress"), fields.fieldNames());
    }

    @Test
    void nestedObjectsAndArrayItemsAreFoundAndRewritten() throws Exception {
        JsonNode schema = JSON.readTree("""
                {"type": "object", "properties": {
                  "contacts": {"type": "array", "items": {"type": "object", "properties": {
                    "email": {"type": "string", "x-classification": "personal"}, "role": {"type": "string"}}}},
                  "address": {"type": "object", "x-classification": "personal"}}}""");
        java.util.List<java.util.List<String>> found = new java.util.ArrayList<>();
        var collect = PersonalFields.class.getDeclaredMethod("collect", JsonNode.class, java.util.List.class,
                java.util.List.class);
        collect.setAccessible(true);
        collect.invoke(null, schema, new java.util.ArrayList<>(), found);
        assertEquals(List.of(List.of("contacts", "*", "email"), List.of("address")), found);
    }

    @Test
    void anEventsPersonalFieldsAreEncryptedAndComeBackAsTheyWere() throws Exception {
        PersonalData personal = TestPersonalData.create();
        String event = "{\"id\":\"e-1\",\"type\":\"order.placed\",\"data\":" + JSON.readTree(
                GoldenEvents.read("shop-order-placed-small.json")).get("data") + "}";
        String encrypted = personal.encryptEvent(event);
        assertFalse(encrypted.contains("amina.otieno@example.com") || encrypted.contains("Amina Otieno"), encrypted);
        JsonNode read = JSON.readTree(encrypted);
        assertTrue(read.at("/data/customer/email").asText().startsWith("enc:v1:test-1:"));
        assertEquals("CUS-501", read.at("/data/customer/id").asText(), "only the marked fields");
        assertEquals(12990, read.at("/data/amountMinor").asLong());
        assertEquals(JSON.readTree(event), personal.decryptEvent(encrypted));
        assertEquals(encrypted, personal.encryptEvent(encrypted), "an encrypted value is not encrypted again");
    }

    @Test
    void logMaskingCoversTheMarkedFieldsAndTheDownstreamNames() {
        assertTrue(PersonalDataMasking.maskedFields().containsAll(Set.of("email", "name", "reason", "requestedBy",
                "to", "customerName")), PersonalDataMasking.maskedFields().toString());
        assertEquals("{\"reason\": \"***\", \"orderId\": \"ORD-1\"}",
                PersonalDataMasking.mask("{\"reason\": \"Kim says it broke\", \"orderId\": \"ORD-1\"}"));
    }
}

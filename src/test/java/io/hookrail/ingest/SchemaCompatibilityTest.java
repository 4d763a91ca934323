package io.hookrail.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.support.GoldenEvents;
import org.junit.jupiter.api.Test;

/**
 * The versioning rule of the data contracts: every recorded example ({@code examples/events}) validates against the
 * version it declares and every later version of the same major (and, for the compatible v2 of order.placed, v2
 * too), and a change that is not backward compatible is reported unless the major grew.
 */
class SchemaCompatibilityTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> TYPES =
            List.of("order.placed", "invoice.paid", "lead.qualified", "refund.requested");
    private static final EventContracts CONTRACTS = EventContracts.load(TYPES);

    /** One recorded example: its type, the major it declares (1 when none) and its data. */
    private record Example(String file, String type, int major, JsonNode data) {
    }

    @Test
    void everyTypeHasItsVersionsWithSemanticVersionsOfTheirMajor() {
        for (String type : TYPES) {
            for (int major : CONTRACTS.majors(type)) {
                String version = EventContracts.readSchema(type, major).path(EventContracts.VERSION_MARK).asText();
                assertTrue(version.startsWith(major + "."), type + " v" + major + " has version " + version);
            }
        }
        assertEquals(List.of(1, 2), CONTRACTS.majors("order.placed"));
    }

    @Test
    void everyRecordedExampleValidatesAgainstTheVersionItDeclares() throws IOException {
        List<Example> examples = examples();
        for (String type : TYPES) {
            assertTrue(examples.stream().anyMatch(e -> e.type().equals(type)), "no recorded example of " + type);
        }
        assertTrue(examples.stream().anyMatch(e -> e.type().equals("order.placed") && e.major() == 2),
                "no recorded example of order.placed v2");
        for (Example example : examples) {
            assertEquals(List.of(), CONTRACTS.violations(example.type(), example.major(), example.data()),
                    example.file() + " against " + EventContracts.schemaUri(example.type(), example.major()));
        }
    }

    @Test
    void recordedExamplesOfThePreviousVersionValidateAgainstACompatibleNextOne() throws IOException {
        // order.placed v2 is backward compatible (one new optional field): every v1 order is a valid v2 order
        assertEquals(List.of(), ContractCompatibility.breakingChanges(EventContracts.readSchema("order.placed", 1),
                EventContracts.readSchema("order.placed", 2)));
        for (Example example : examples()) {
            if (example.type().equals("order.placed") && example.major() == 1) {
                assertEquals(List.of(), CONTRACTS.violations("order.placed", 2, example.data()), example.file());
            }
        }
    }

    @Test
    void theRealV2IsAllowed() {
        assertEquals(List.of(), ContractCompatibility.unversionedBreakingChanges("order.placed",
                EventContracts.readSchema("order.placed", 1), EventContracts.readSchema("order.placed", 2)));
    }

    @Test
    void aNewRequiredFieldWithoutAMajorBumpIsReported() {
        ObjectNode v1 = (ObjectNode) EventContracts.readSchema("order.placed", 1);
        ObjectNode broken = (ObjectNode) EventContracts.readSchema("order.placed", 2);
        broken.put(EventContracts.VERSION_MARK, "1.1.0");
        ((ArrayNode) broken.get("required")).add("shippingAddress");
        assertEquals(List.of("order.placed 1.0.0 -> 1.1.0 is not backward compatible, so needs version 2.0.0: "
                        + "/shippingAddress: new required field"),
                ContractCompatibility.unversionedBreakingChanges("order.placed", v1, broken));
        // the same change as a new major is allowed
        broken.put(EventContracts.VERSION_MARK, "2.0.0");
        assertEquals(List.of(), ContractCompatibility.unversionedBreakingChanges("order.placed", v1, broken));
    }

    @Test
    void eachKindOfBreakingChangeIsReported() {
        JsonNode v1 = EventContracts.readSchema("order.placed", 1);
        ObjectNode changed = v1.deepCopy();
        ObjectNode properties = (ObjectNode) changed.get("properties");
        properties.remove("currency");
        ((ObjectNode) properties.get("amountMinor")).put("type", "string");
        ((ObjectNode) properties.get("orderId")).put("maxLength", 32);
        ObjectNode sku = (ObjectNode) properties.get("lines").get("items").get("properties").get("sku");
        sku.put("pattern", "^SKU-");
        ObjectNode name = (ObjectNode) properties.get("customer").get("properties").get("name");
        name.putArray("enum").add("Amina Otieno");
        assertEquals(List.of(
                        "/amountMinor: type narrowed from [integer] to [string]",
                        "/currency: property removed",
                        "/customer/name: enum added, values now limited to [\"Amina Otieno\"]",
                        "/lines/*/sku: pattern changed from none to ^SKU-",
                        "/orderId: maxLength tightened from 64 to 32"),
                ContractCompatibility.breakingChanges(v1, changed).stream().sorted().toList());
    }

    @Test
    void aNewOptionalPropertyOrAWiderBoundIsCompatible() {
        JsonNode v1 = EventContracts.readSchema("order.placed", 1);
        ObjectNode changed = v1.deepCopy();
        ((ObjectNode) changed.get("properties")).putObject("note").put("type", "string");
        ((ObjectNode) changed.get("properties").get("orderId")).put("maxLength", 128);
        assertFalse(ContractCompatibility.breakingChanges(v1, v1).iterator().hasNext());
        assertEquals(List.of(), ContractCompatibility.breakingChanges(v1, changed));
    }

    /** Every example of examples/events, with the major it declares. */
    private static List<Example> examples() throws IOException {
        Path directory = GoldenEvents.directory();
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().map(file -> {
                try {
                    JsonNode body = MAPPER.readTree(file.toFile());
                    String type = body.get("type").asText();
                    JsonNode data = body.path("data").has("object") ? body.get("data").get("object") : body.get("data");
                    String schema = body.path("dataschema").isTextual() ? body.get("dataschema").asText() : null;
                    return new Example(file.getFileName().toString(), type, EventContracts.major(type, schema), data);
                } catch (IOException e) {
                    throw new IllegalStateException(file + " is not JSON", e);
                }
            }).toList();
        }
    }
}

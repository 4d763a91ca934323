package io.hookrail.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import io.hookrail.support.GoldenEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The v1 data contracts under {@code /schemas/<type>/v1.json}: the golden events pass, and each kind of bad
 * payload is rejected with a message naming the keyword and the place of the violation.
 */
class EventSchemasTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private static final List<String> TYPES =
            List.of("order.placed", "invoice.paid", "lead.qualified", "refund.requested");

    /** Every golden file and the event type whose data it carries. */
    private static final Map<String, String> GOLDEN = Map.of(
            "shop-order-placed-small.json", "order.placed",
            "shop-order-placed-large.json", "order.placed",
            "shop-order-placed-unicode.json", "order.placed",
            "shop-order-placed-v2.json", "order.placed", // v2 only adds an optional field: valid v1 data too
            "payments-invoice-paid.json", "invoice.paid",
            "crm-lead-qualified.json", "lead.qualified",
            "support-refund-small.json", "refund.requested",
            "support-refund-large.json", "refund.requested");

    /** One golden event per type, the starting point of every mutation. */
    private static final Map<String, String> BASE = Map.of(
            "order.placed", "shop-order-placed-small.json",
            "invoice.paid", "payments-invoice-paid.json",
            "lead.qualified", "crm-lead-qualified.json",
            "refund.requested", "support-refund-small.json");

    // ---------------------------------------------------------------- golden events

    static Stream<Arguments> goldenEvents() {
        return GOLDEN.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> arguments(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0} is a valid {1}")
    @MethodSource("goldenEvents")
    void goldenEventsAreValid(String file, String type) {
        JsonNode body = readGolden(file);
        assertEquals(type, eventType(body), "event type in " + file);
        assertValid(schema(type), goldenData(file));
    }

    /**
     * Pins why emails carry a {@code pattern}: in 2020-12 {@code format} is an annotation, and turning format
     * assertions on in networknt 1.5.x would reject golden emails on the reserved {@code .example} TLD, because
     * its email check validates the top-level domain against the IANA list. Leave format assertions off.
     */
    @Test
    void emailFormatAssertionWouldRejectGoldenEmailsOnReservedDomains() {
        SchemaValidatorsConfig asserting = config().formatAssertionsEnabled(true).build();
        Set<ValidationMessage> messages =
                schema("order.placed", asserting).validate(goldenData("shop-order-placed-large.json"));
        assertEquals(Set.of("format /customer/email"), describe(messages));
        assertValid(schema("invoice.paid", asserting), goldenData("payments-invoice-paid.json"));
    }

    @Test
    void everyGoldenFileIsCovered() throws IOException {
        try (Stream<Path> files = Files.list(GoldenEvents.directory())) {
            Set<String> onDisk = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(GOLDEN.keySet()), onDisk, "golden files without a schema check");
        }
    }

    // ---------------------------------------------------------------- the schemas themselves

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void schemasAreValidDraft202012(String type) {
        JsonSchema metaSchema = FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertValid(metaSchema, schemaJson(type));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void schemasFollowTheContractConventions(String type) {
        JsonNode schema = schemaJson(type);
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").asText());
        assertEquals("urn:hookrail:schema:" + type + ":v1", schema.path("$id").asText());
        assertFalse(schema.path("title").asText().isBlank(), "title");
        assertFalse(schema.path("description").asText().isBlank(), "description");
        assertEquals("object", schema.path("type").asText());
        assertTrue(schema.path("required").isArray() && !schema.path("required").isEmpty(), "required");
        assertConventions(schema, "$");
    }

    /** Every property is described, no object forbids additions, and no schema carries examples. */
    private static void assertConventions(JsonNode schema, String where) {
        assertFalse(schema.has("examples"), where + ": examples belong in the golden files");
        assertFalse(schema.has("additionalProperties"), where + ": senders may add properties");
        Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> p = properties.next();
            String path = where + "." + p.getKey();
            assertFalse(p.getValue().path("description").asText().isBlank(), path + " has no description");
            assertConventions(p.getValue(), path);
        }
        if (schema.has("items")) {
            assertConventions(schema.get("items"), where + "[]");
        }
        for (JsonNode required : schema.path("required")) {
            assertTrue(schema.path("properties").has(required.asText()), where + " requires undeclared " + required);
        }
    }

    // ---------------------------------------------------------------- money

    static Stream<Arguments> amounts() {
        return Stream.of(
                arguments("order.placed", "/amountMinor"),
                arguments("order.placed", "/lines/0/unitPriceMinor"),
                arguments("invoice.paid", "/amountMinor"),
                arguments("refund.requested", "/amountMinor"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("amounts")
    void decimalAmountIsRejected(String type, String pointer) {
        assertRejected(type, pointer, "12.5", "type");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("amounts")
    void stringAmountIsRejected(String type, String pointer) {
        assertRejected(type, pointer, "\"12990\"", "type");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("amounts")
    void negativeAmountIsRejected(String type, String pointer) {
        assertRejected(type, pointer, "-1", "minimum");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("amounts")
    void amountBeyondExactJsonIntegersIsRejected(String type, String pointer) {
        assertRejected(type, pointer, "9007199254740992", "maximum");
        assertRejected(type, pointer, "100000000000000000000000000000", "maximum");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"order.placed", "invoice.paid", "refund.requested"})
    void zeroTotalIsRejected(String type) {
        assertRejected(type, "/amountMinor", "0", "minimum");
    }

    @Test
    void freeOrderLineIsAccepted() {
        assertValid(schema("order.placed"), mutate("order.placed", "/lines/0/unitPriceMinor", "0"));
    }

    static Stream<Arguments> badCurrencies() {
        return Stream.of("order.placed", "invoice.paid", "refund.requested")
                .flatMap(type -> Stream.of("eur", "EURO", "EU", "Eur", "E1R", "", "€€€")
                        .map(currency -> arguments(type, currency)));
    }

    @ParameterizedTest(name = "{0} currency \"{1}\"")
    @MethodSource("badCurrencies")
    void nonIso4217CurrencyIsRejected(String type, String currency) {
        assertRejected(type, "/currency", MAPPER.valueToTree(currency).toString(), "pattern");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"order.placed", "invoice.paid", "refund.requested"})
    void currencyWithTrailingNewlineIsRejected(String type) {
        // java.util.regex lets "$" match before a final line terminator; maxLength closes that gap
        assertRejected(type, "/currency", "\"EUR\\n\"", "maxLength");
    }

    // ---------------------------------------------------------------- required fields

    static Stream<Arguments> requiredFields() {
        return Stream.of(
                arguments("order.placed", "/orderId"),
                arguments("order.placed", "/customer"),
                arguments("order.placed", "/customer/id"),
                arguments("order.placed", "/customer/email"),
                arguments("order.placed", "/customer/name"),
                arguments("order.placed", "/currency"),
                arguments("order.placed", "/amountMinor"),
                arguments("order.placed", "/lines"),
                arguments("order.placed", "/lines/0/sku"),
                arguments("order.placed", "/lines/0/quantity"),
                arguments("order.placed", "/lines/0/unitPriceMinor"),
                arguments("invoice.paid", "/invoiceId"),
                arguments("invoice.paid", "/orderId"),
                arguments("invoice.paid", "/paymentId"),
                arguments("invoice.paid", "/currency"),
                arguments("invoice.paid", "/amountMinor"),
                arguments("invoice.paid", "/paidAt"),
                arguments("lead.qualified", "/leadId"),
                arguments("lead.qualified", "/email"),
                arguments("lead.qualified", "/name"),
                arguments("lead.qualified", "/score"),
                arguments("lead.qualified", "/owner"),
                arguments("refund.requested", "/refundId"),
                arguments("refund.requested", "/orderId"),
                arguments("refund.requested", "/paymentId"),
                arguments("refund.requested", "/currency"),
                arguments("refund.requested", "/amountMinor"),
                arguments("refund.requested", "/reason"));
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("requiredFields")
    void missingRequiredFieldIsRejected(String type, String pointer) {
        JsonPointer ptr = JsonPointer.compile(pointer);
        Set<ValidationMessage> messages = schema(type).validate(mutate(type, pointer, null));
        assertEquals(1, messages.size(), () -> "exactly one violation expected: " + messages);
        ValidationMessage message = messages.iterator().next();
        assertEquals("required", message.getType(), message::toString);
        assertEquals(ptr.last().getMatchingProperty(), message.getProperty(), message::toString);
        assertEquals(ptr.head().toString(), message.getInstanceLocation().toString(), message::toString);
    }

    @Test
    void leadWithoutCompanyIsAccepted() {
        assertValid(schema("lead.qualified"), mutate("lead.qualified", "/company", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void emptyDataIsRejectedWithEveryMissingField(String type) {
        Set<ValidationMessage> messages = schema(type).validate(MAPPER.createObjectNode());
        Set<String> missing = messages.stream().map(ValidationMessage::getProperty).collect(Collectors.toSet());
        Set<String> required = new TreeSet<>();
        schemaJson(type).path("required").forEach(r -> required.add(r.asText()));
        assertEquals(required, new TreeSet<>(missing), messages::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void nonObjectDataIsRejected(String type) {
        assertEquals(Set.of("type"), keywords(schema(type).validate(MAPPER.createArrayNode())));
    }

    // ---------------------------------------------------------------- order lines

    @Test
    void emptyLinesAreRejected() {
        assertRejected("order.placed", "/lines", "[]", "minItems");
    }

    @ParameterizedTest(name = "quantity {0}")
    @CsvSource({"0, minimum", "-3, minimum", "1.5, type", "'\"2\"', type"})
    void nonPositiveOrFractionalQuantityIsRejected(String quantity, String keyword) {
        assertRejected("order.placed", "/lines/0/quantity", quantity, keyword);
    }

    @Test
    void violationInALaterLineIsLocated() {
        assertRejected("order.placed", "/lines/1", "{\"sku\":\"SKU-X\",\"quantity\":0,\"unitPriceMinor\":1}",
                "minimum", "/lines/1/quantity");
    }

    @Test
    void emptySkuIsRejected() {
        assertRejected("order.placed", "/lines/0/sku", "\"\"", "minLength");
    }

    // ---------------------------------------------------------------- lead score

    @ParameterizedTest(name = "score {0}")
    @CsvSource({"101, maximum", "-1, minimum", "87.5, type", "'\"87\"', type"})
    void scoreOutsideZeroToHundredIsRejected(String score, String keyword) {
        assertRejected("lead.qualified", "/score", score, keyword);
    }

    @ParameterizedTest(name = "score {0}")
    @ValueSource(strings = {"0", "100"})
    void scoreBoundsAreAccepted(String score) {
        assertValid(schema("lead.qualified"), mutate("lead.qualified", "/score", score));
    }

    // ---------------------------------------------------------------- emails, names, ids, timestamps

    static Stream<Arguments> badEmails() {
        return Stream.of(arguments("order.placed", "/customer/email"), arguments("lead.qualified", "/email"))
                .flatMap(a -> Stream.of("amina.example.com", "amina@", "@example.com", "a@b@example.com",
                                "amina otieno@example.com", "")
                        .map(email -> arguments(a.get()[0], a.get()[1], email)));
    }

    @ParameterizedTest(name = "{0} {1} \"{2}\"")
    @MethodSource("badEmails")
    void malformedEmailIsRejected(String type, String pointer, String email) {
        assertRejected(type, pointer, MAPPER.valueToTree(email).toString(), "pattern");
    }

    @ParameterizedTest(name = "{0} {1} \"{2}\"")
    @CsvSource({
        "order.placed, /customer/name, ''",
        "order.placed, /customer/name, '   '",
        "lead.qualified, /name, ''",
        "lead.qualified, /company, ' '",
        "refund.requested, /reason, ''"})
    void blankTextIsRejected(String type, String pointer, String text) {
        Set<ValidationMessage> messages = schema(type).validate(mutate(type, pointer, MAPPER.valueToTree(text).toString()));
        assertFalse(messages.isEmpty(), "blank " + pointer + " accepted");
        assertTrue(messages.stream().allMatch(m -> m.getInstanceLocation().toString().equals(pointer)),
                messages::toString);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "order.placed, /orderId",
        "order.placed, /customer/id",
        "invoice.paid, /invoiceId",
        "invoice.paid, /paymentId",
        "lead.qualified, /leadId",
        "refund.requested, /refundId",
        "refund.requested, /requestedBy"})
    void emptyOrOverlongIdIsRejected(String type, String pointer) {
        assertRejected(type, pointer, "\"\"", "minLength");
        assertRejected(type, pointer, MAPPER.valueToTree("X".repeat(300)).toString(), "maxLength");
        assertRejected(type, pointer, "12345", "type");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"10001", "ord_10001", "Bestellung-Nr-10001", "订单-10001"})
    void idWithAnySenderSpecificShapeIsAccepted(String id) {
        assertValid(schema("order.placed"), mutate("order.placed", "/orderId", MAPPER.valueToTree(id).toString()));
    }

    @ParameterizedTest(name = "paidAt \"{0}\"")
    @ValueSource(strings = {"2026-11-20 10:30:00Z", "2026-11-20T10:30:00", "20261120T103000Z", "2026-11-20",
        "1763637000", "2026-11-20T10:30:00+0100", ""})
    void nonRfc3339PaidAtIsRejected(String paidAt) {
        assertRejected("invoice.paid", "/paidAt", MAPPER.valueToTree(paidAt).toString(), "pattern");
    }

    @ParameterizedTest(name = "paidAt \"{0}\"")
    @ValueSource(strings = {"2026-11-20T10:30:00.123Z", "2026-11-20T12:30:00+02:00", "2026-11-20t10:30:00z"})
    void rfc3339PaidAtVariantsAreAccepted(String paidAt) {
        assertValid(schema("invoice.paid"), mutate("invoice.paid", "/paidAt", MAPPER.valueToTree(paidAt).toString()));
    }

    @Test
    void unixTimestampPaidAtIsRejected() {
        assertRejected("invoice.paid", "/paidAt", "1763637000", "type");
    }

    // ---------------------------------------------------------------- evolution and reporting

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void propertiesAddedBySendersAreAccepted(String type) {
        ObjectNode data = (ObjectNode) goldenData(BASE.get(type));
        data.put("addedLater", "something new").putObject("metadata").put("channel", "web");
        if (data.has("customer")) {
            ((ObjectNode) data.get("customer")).put("phone", "+254 700 000000");
            ((ObjectNode) data.get("lines").get(0)).put("taxMinor", 120);
        }
        assertValid(schema(type), data);
    }

    @Test
    void requestedByNamesThePersonAskingForTheRefund() {
        assertValid(schema("refund.requested"),
                mutate("refund.requested", "/requestedBy", "\"agent.njeri@support.example\""));
    }

    @Test
    void everyViolationIsReported() {
        ObjectNode data = (ObjectNode) goldenData("shop-order-placed-unicode.json");
        data.remove("orderId");
        data.put("amountMinor", 12.5);
        data.put("currency", "eur");
        ((ObjectNode) data.get("customer")).put("email", "zoe.muller.example.de");
        ((ObjectNode) data.get("lines").get(1)).put("quantity", 0);

        Set<ValidationMessage> messages = schema("order.placed").validate(data);

        assertEquals(Set.of(
                "required /orderId",
                "type /amountMinor",
                "pattern /currency",
                "pattern /customer/email",
                "minimum /lines/1/quantity"), describe(messages));
        messages.forEach(m -> assertFalse(m.getMessage().isBlank(), "message without text: " + m));
    }

    // ---------------------------------------------------------------- helpers

    static Stream<String> types() {
        return TYPES.stream();
    }

    /** Mutates the base golden data of {@code type} at {@code pointer} and expects a {@code keyword} violation there. */
    private static void assertRejected(String type, String pointer, String json, String keyword) {
        assertRejected(type, pointer, json, keyword, pointer);
    }

    private static void assertRejected(String type, String pointer, String json, String keyword, String location) {
        Set<ValidationMessage> messages = schema(type).validate(mutate(type, pointer, json));
        assertTrue(messages.stream().anyMatch(m -> keyword.equals(m.getType())
                        && location.equals(m.getInstanceLocation().toString())),
                () -> type + " " + pointer + "=" + json + ": expected a " + keyword + " violation at " + location
                        + ", got " + messages);
        assertTrue(messages.stream().allMatch(m -> m.getInstanceLocation().toString().startsWith(location)),
                () -> "violations outside " + location + ": " + messages);
    }

    private static void assertValid(JsonSchema schema, JsonNode data) {
        Set<ValidationMessage> messages = schema.validate(data);
        assertTrue(messages.isEmpty(), () -> "unexpected violations: " + messages + " in " + data);
    }

    private static Set<String> keywords(Set<ValidationMessage> messages) {
        return messages.stream().map(ValidationMessage::getType).collect(Collectors.toSet());
    }

    /** Base golden data of {@code type} with the value at {@code pointer} replaced by {@code json}, or removed if null. */
    private static JsonNode mutate(String type, String pointer, String json) {
        JsonNode data = goldenData(BASE.get(type));
        JsonPointer ptr = JsonPointer.compile(pointer);
        JsonNode parent = data.at(ptr.head());
        String last = ptr.last().getMatchingProperty();
        JsonNode value = json == null ? null : readTree(json);
        if (parent instanceof ObjectNode object) {
            if (value == null) {
                assertNotNull(object.remove(last), "nothing to remove at " + pointer);
            } else {
                object.set(last, value);
            }
        } else if (parent instanceof ArrayNode array) {
            int index = ptr.last().getMatchingIndex();
            if (value == null) {
                array.remove(index);
            } else if (index < array.size()) {
                array.set(index, value);
            } else {
                array.add(value);
            }
        } else {
            throw new IllegalArgumentException("no object or array at " + ptr.head() + " of " + type);
        }
        return data;
    }

    /** Each message as "keyword location"; a missing property is located where it should have been. */
    private static Set<String> describe(Set<ValidationMessage> messages) {
        return messages.stream()
                .map(m -> m.getType() + " " + m.getInstanceLocation()
                        + ("required".equals(m.getType()) ? "/" + m.getProperty() : ""))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    /** The validator defaults (formats are annotations only), with locations as JSON pointers like problem+json. */
    private static SchemaValidatorsConfig.Builder config() {
        return SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER);
    }

    private static JsonSchema schema(String type) {
        return SCHEMAS.computeIfAbsent(type, t -> schema(t, config().build()));
    }

    private static JsonSchema schema(String type, SchemaValidatorsConfig config) {
        try (InputStream in = schemaStream(type)) {
            return FACTORY.getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode schemaJson(String type) {
        try (InputStream in = schemaStream(type)) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream schemaStream(String type) {
        String resource = "/schemas/" + type + "/v1.json";
        InputStream in = EventSchemasTest.class.getResourceAsStream(resource);
        assertNotNull(in, "missing schema on the classpath: " + resource);
        return in;
    }

    private static JsonNode readGolden(String file) {
        try {
            return MAPPER.readTree(GoldenEvents.directory().resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The business payload: {@code data.object} for a Stripe event, {@code data} for Standard Webhooks. */
    private static JsonNode goldenData(String file) {
        JsonNode body = readGolden(file);
        JsonNode data = isStripe(body) ? body.path("data").path("object") : body.path("data");
        assertTrue(data.isObject(), "no data object in " + file);
        return data;
    }

    private static boolean isStripe(JsonNode body) {
        return "event".equals(body.path("object").asText());
    }

    private static String eventType(JsonNode body) {
        return body.path("type").asText();
    }

    private static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

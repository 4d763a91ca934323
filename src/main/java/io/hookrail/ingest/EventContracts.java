package io.hookrail.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

/**
 * The data contracts of the event types: JSON Schema draft 2020-12 files at {@code schemas/<type>/v<N>.json} on the
 * classpath, loaded once at startup so a missing or broken schema stops Hookrail instead of a webhook.
 * <p>
 * A schema may name its type's business id ({@value #BUSINESS_ID_MARK}: a top-level string field of the data, such
 * as {@code orderId}): the gateway publishes it as the message group ({@code JMSXGroupID}), so one entity's events are
 * consumed in order while different entities run in parallel.
 */
public final class EventContracts {

    /** The contract version every type is validated against today. */
    public static final String VERSION = "v1";

    /** The schema keyword naming the data field that is the type's business id. */
    public static final String BUSINESS_ID_MARK = "x-business-id";

    private record Contract(JsonSchema schema, String businessIdField) {
    }

    private final Map<String, Contract> contracts;

    private EventContracts(Map<String, Contract> contracts) {
        this.contracts = contracts;
    }

    public static EventContracts load(Collection<String> eventTypes) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                // formats stay annotations (the 2020-12 default): the email format check refuses reserved domains
                // such as .example; the contracts enforce what matters with patterns instead
                .build();
        return new EventContracts(eventTypes.stream().distinct()
                .collect(Collectors.toUnmodifiableMap(Function.identity(), type -> read(factory, config, type))));
    }

    /** The {@code dataschema} of CloudEvents of this type. */
    public static String schemaUri(String eventType) {
        return "urn:hookrail:schema:" + eventType + ":" + VERSION;
    }

    /**
     * Every violation of the type's contract, pointing into the sender's body; empty when the data is valid.
     */
    public List<WebhookRejection.Violation> violations(IncomingEvent event) {
        return violations(event.type(), event.data()).stream()
                .map(v -> new WebhookRejection.Violation(event.dataPointer() + v.pointer(), v.message()))
                .toList();
    }

    /**
     * Every violation of the type's contract by this data, pointing into the data; empty when it is valid.
     *
     * @throws IllegalArgumentException for a type without a loaded contract
     */
    public List<WebhookRejection.Violation> violations(String eventType, JsonNode data) {
        Contract contract = contracts.get(eventType);
        if (contract == null) {
            throw new IllegalArgumentException("no data contract loaded for " + eventType);
        }
        return contract.schema().validate(data).stream()
                .map(m -> new WebhookRejection.Violation(m.getInstanceLocation().toString(), m.getError()))
                .sorted(Comparator.comparing(WebhookRejection.Violation::pointer))
                .toList();
    }

    /**
     * The event's business id (the data field its schema names in {@value #BUSINESS_ID_MARK}), or null when its type
     * names none or the field is not a string.
     */
    public String businessId(IncomingEvent event) {
        Contract contract = contracts.get(event.type());
        if (contract == null || contract.businessIdField() == null || event.data() == null) {
            return null;
        }
        JsonNode id = event.data().get(contract.businessIdField());
        return id != null && id.isTextual() ? id.asText() : null;
    }

    private static Contract read(JsonSchemaFactory factory, SchemaValidatorsConfig config, String type) {
        String resource = "/schemas/" + type + "/" + VERSION + ".json";
        try (InputStream in = EventContracts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("event type " + type + " has no data contract at classpath:" + resource);
            }
            JsonNode node = JsonMapping.MAPPER.readTree(in);
            JsonNode businessId = node.get(BUSINESS_ID_MARK);
            if (businessId != null && !businessId.isTextual()) {
                throw new IllegalArgumentException("classpath:" + resource + ": " + BUSINESS_ID_MARK + " must name a field");
            }
            return new Contract(factory.getSchema(node, config), businessId == null ? null : businessId.asText());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read data contract classpath:" + resource, e);
        }
    }
}

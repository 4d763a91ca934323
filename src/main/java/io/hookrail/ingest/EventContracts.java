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
 */
public final class EventContracts {

    /** The contract version every type is validated against today. */
    public static final String VERSION = "v1";

    private final Map<String, JsonSchema> schemas;

    private EventContracts(Map<String, JsonSchema> schemas) {
        this.schemas = schemas;
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
        JsonSchema schema = schemas.get(eventType);
        if (schema == null) {
            throw new IllegalArgumentException("no data contract loaded for " + eventType);
        }
        return schema.validate(data).stream()
                .map(m -> new WebhookRejection.Violation(m.getInstanceLocation().toString(), m.getError()))
                .sorted(Comparator.comparing(WebhookRejection.Violation::pointer))
                .toList();
    }

    private static JsonSchema read(JsonSchemaFactory factory, SchemaValidatorsConfig config, String type) {
        String resource = "/schemas/" + type + "/" + VERSION + ".json";
        try (InputStream in = EventContracts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("event type " + type + " has no data contract at classpath:" + resource);
            }
            JsonNode node = JsonMapping.MAPPER.readTree(in);
            return factory.getSchema(node, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read data contract classpath:" + resource, e);
        }
    }
}

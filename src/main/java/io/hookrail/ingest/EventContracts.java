package io.hookrail.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

/**
 * The data contracts of the event types: JSON Schema draft 2020-12 files at {@code schemas/<type>/v<major>.json} on
 * the classpath (v1, v2, ... without gaps), loaded once at startup so a missing or broken schema stops Hookrail
 * instead of a webhook. Every major of a type is accepted side by side; an event's {@code dataschema}
 * ({@code urn:hookrail:schema:<type>:v<major>}) says which one it is validated against, and an event that declares
 * none is a v1 event, so senders that never heard of versions are unchanged.
 * <p>
 * Each file carries its semantic version in {@value #VERSION_MARK} ({@code "1.0.0"}), whose major must be the file's:
 * a change that is not backward compatible needs a new file ({@link ContractCompatibility}).
 * <p>
 * A schema may name its type's business id ({@value #BUSINESS_ID_MARK}: a top-level string field of the data, such
 * as {@code orderId}), the same in every major: the gateway publishes it as the message group ({@code JMSXGroupID}),
 * so one entity's events are consumed in order while different entities run in parallel.
 */
public final class EventContracts {

    /** The major an event that declares no {@code dataschema} is validated against. */
    public static final int DEFAULT_MAJOR = 1;

    /** The schema keyword naming the data field that is the type's business id. */
    public static final String BUSINESS_ID_MARK = "x-business-id";

    /** The schema keyword holding the file's semantic version. */
    public static final String VERSION_MARK = "x-version";

    private static final Pattern SCHEMA_URI = Pattern.compile("urn:hookrail:schema:(.+):v([1-9][0-9]{0,3})");
    private static final Pattern SEMVER = Pattern.compile("([1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)");

    private record Contract(JsonSchema schema, String businessIdField) {
    }

    private final Map<String, NavigableMap<Integer, Contract>> contracts;

    private EventContracts(Map<String, NavigableMap<Integer, Contract>> contracts) {
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
                .collect(Collectors.toUnmodifiableMap(Function.identity(), type -> readAll(factory, config, type))));
    }

    /** The {@code dataschema} of CloudEvents of this type and major. */
    public static String schemaUri(String eventType, int major) {
        return "urn:hookrail:schema:" + eventType + ":v" + major;
    }

    /** The classpath resource of a type's major. */
    public static String resource(String eventType, int major) {
        return "/schemas/" + eventType + "/v" + major + ".json";
    }

    /**
     * The major a {@code dataschema} names for this type: {@link #DEFAULT_MAJOR} when it is null, -1 when it is not a
     * Hookrail schema of this type.
     */
    public static int major(String eventType, String dataschema) {
        if (dataschema == null) {
            return DEFAULT_MAJOR;
        }
        Matcher m = SCHEMA_URI.matcher(dataschema);
        return m.matches() && m.group(1).equals(eventType) ? Integer.parseInt(m.group(2)) : -1;
    }

    /** The majors of a type's contract, lowest first. */
    public List<Integer> majors(String eventType) {
        NavigableMap<Integer, Contract> versions = contracts.get(eventType);
        return versions == null ? List.of() : List.copyOf(versions.keySet());
    }

    /**
     * The event with the {@code dataschema} it is validated against: the one it declares, or v1.
     *
     * @throws WebhookRejection 400 when it declares a schema that is not one of its type's
     */
    public IncomingEvent resolve(IncomingEvent event) throws WebhookRejection {
        int major = major(event.type(), event.dataschema());
        if (!majors(event.type()).contains(major)) {
            throw WebhookRejection.malformed("The event declares a data schema Hookrail does not have",
                    List.of(new WebhookRejection.Violation("/dataschema", "one of "
                            + majors(event.type()).stream().map(v -> schemaUri(event.type(), v)).toList())));
        }
        return event.withDataschema(schemaUri(event.type(), major));
    }

    /**
     * Every violation of the contract the event declares (v1 when none), pointing into the sender's body; empty when
     * the data is valid.
     */
    public List<WebhookRejection.Violation> violations(IncomingEvent event) {
        return violations(event.type(), major(event.type(), event.dataschema()), event.data()).stream()
                .map(v -> new WebhookRejection.Violation(event.dataPointer() + v.pointer(), v.message()))
                .toList();
    }

    /** Every violation of the type's v1 contract by this data; see {@link #violations(String, int, JsonNode)}. */
    public List<WebhookRejection.Violation> violations(String eventType, JsonNode data) {
        return violations(eventType, DEFAULT_MAJOR, data);
    }

    /**
     * Every violation of the type's contract of this major by this data, pointing into the data; empty when it is
     * valid.
     *
     * @throws IllegalArgumentException for a type or major without a loaded contract
     */
    public List<WebhookRejection.Violation> violations(String eventType, int major, JsonNode data) {
        NavigableMap<Integer, Contract> versions = contracts.get(eventType);
        Contract contract = versions == null ? null : versions.get(major);
        if (contract == null) {
            throw new IllegalArgumentException("no data contract loaded for " + schemaUri(eventType, major));
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
        NavigableMap<Integer, Contract> versions = contracts.get(event.type());
        String field = versions == null ? null : versions.firstEntry().getValue().businessIdField();
        if (field == null || event.data() == null) {
            return null;
        }
        JsonNode id = event.data().get(field);
        return id != null && id.isTextual() ? id.asText() : null;
    }

    private static NavigableMap<Integer, Contract> readAll(JsonSchemaFactory factory, SchemaValidatorsConfig config,
                                                           String type) {
        NavigableMap<Integer, Contract> versions = new TreeMap<>();
        for (int major = 1; ; major++) {
            JsonNode node = readSchema(type, major);
            if (node == null) {
                break;
            }
            versions.put(major, contract(factory, config, type, major, node));
        }
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("event type " + type + " has no data contract at classpath:"
                    + resource(type, 1));
        }
        long businessIds = versions.values().stream().map(c -> String.valueOf(c.businessIdField())).distinct().count();
        if (businessIds > 1) {
            throw new IllegalArgumentException("event type " + type + ": every major must name the same "
                    + BUSINESS_ID_MARK + ", they name " + versions.values().stream()
                    .map(Contract::businessIdField).toList());
        }
        return versions;
    }

    /** The schema of a type's major, or null when there is no such file. */
    public static JsonNode readSchema(String type, int major) {
        String resource = resource(type, major);
        try (InputStream in = EventContracts.class.getResourceAsStream(resource)) {
            return in == null ? null : JsonMapping.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read data contract classpath:" + resource, e);
        }
    }

    private static Contract contract(JsonSchemaFactory factory, SchemaValidatorsConfig config, String type, int major,
                                     JsonNode node) {
        String where = "classpath:" + resource(type, major) + ": ";
        JsonNode businessId = node.get(BUSINESS_ID_MARK);
        if (businessId != null && !businessId.isTextual()) {
            throw new IllegalArgumentException(where + BUSINESS_ID_MARK + " must name a field");
        }
        Matcher version = SEMVER.matcher(node.path(VERSION_MARK).asText());
        if (!version.matches() || Integer.parseInt(version.group(1)) != major) {
            throw new IllegalArgumentException(where + VERSION_MARK + " must be a semantic version " + major
                    + ".<minor>.<patch>, is " + node.get(VERSION_MARK));
        }
        return new Contract(factory.getSchema(node, config), businessId == null ? null : businessId.asText());
    }
}

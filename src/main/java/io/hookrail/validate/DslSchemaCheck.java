package io.hookrail.validate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * A route file against Camel's own JSON Schema of its YAML DSL ({@code schema/camelYamlDsl.json} in camel-yaml-dsl,
 * so always the Camel version on the classpath; the schema Kaoto reads), so what Camel loads Kaoto opens too.
 */
final class DslSchemaCheck {

    private static final String SCHEMA = "/schema/camelYamlDsl.json";

    private final JsonSchema schema;

    /** Compiling Camel's 800 KB schema takes seconds: once per JVM. */
    private static final class Holder {
        static final DslSchemaCheck INSTANCE = new DslSchemaCheck();
    }

    static DslSchemaCheck instance() {
        return Holder.INSTANCE;
    }

    private DslSchemaCheck() {
        try (InputStream in = DslSchemaCheck.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException("camel-yaml-dsl's classpath:" + SCHEMA + " is missing");
            }
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
            // Camel's schema marks options 'deprecated', a keyword of later drafts: an annotation, not a warning
            JsonMetaSchema draft4 = JsonMetaSchema.builder(JsonMetaSchema.getV4())
                    .keyword(new NonValidationKeyword("deprecated")).build();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, b -> b.metaSchema(draft4))
                    .getSchema(new ObjectMapper().readTree(in), config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath:" + SCHEMA, e);
        }
    }

    void check(YamlTree tree, List<Problem> problems) {
        report(tree, schema.validate(tree.json()), "Camel YAML DSL schema: ", problems);
    }

    /** Schema errors as problems at their nodes, one per place: a value that fits none of a oneOf fails each. */
    static void report(YamlTree tree, Collection<ValidationMessage> messages, String prefix, List<Problem> problems) {
        Map<String, ValidationMessage> byPlace = new LinkedHashMap<>();
        for (ValidationMessage message : messages) {
            byPlace.putIfAbsent(message.getInstanceLocation().toString(), message);
        }
        // a oneOf that fails because of an error reported deeper down says nothing more
        byPlace.keySet().removeIf(pointer -> isChoice(byPlace.get(pointer))
                && byPlace.keySet().stream().anyMatch(other -> other.startsWith(pointer + "/")));
        byPlace.forEach((pointer, message) -> problems.add(Problem.at(tree.file(), tree.nodeAt(pointer),
                prefix + text(pointer, message))));
    }

    private static boolean isChoice(ValidationMessage message) {
        return "oneOf".equals(message.getType()) || "anyOf".equals(message.getType());
    }

    /** The message without the pointer the line and column already give, and a hint where the schema gives none. */
    private static String text(String pointer, ValidationMessage message) {
        String text = message.getMessage();
        String place = pointer.isEmpty() ? "$" : pointer;
        if (text.startsWith(place + ": ")) {
            text = text.substring(place.length() + 2);
        }
        String key = pointer.substring(pointer.lastIndexOf('/') + 1);
        if (isChoice(message)) {
            // a branch's own errors are not reported: the usual cause is a misspelt key or a value of the wrong type
            return "'" + key + "' matches none of its forms (a misspelt or unknown key, or a value of the wrong type)";
        }
        return key.isEmpty() || key.matches("\\d+") ? text : "'" + key + "': " + text;
    }
}

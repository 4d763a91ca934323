package io.hookrail.validate;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.hookrail.ingest.EventContracts;
import io.hookrail.privacy.PersonalFields;

/**
 * A data contract ({@code schemas/<type>/v<N>.json}) is JSON, a valid JSON Schema 2020-12 (checked against its
 * meta-schema, which the validator ships, so no network) and compiles as {@link EventContracts} compiles it.
 */
final class ContractCheck {

    // Hookrail's own keywords are annotations (EventContracts reads them), not unknown keywords to warn about
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                    .keyword(new NonValidationKeyword(EventContracts.BUSINESS_ID_MARK))
                    .keyword(new NonValidationKeyword(EventContracts.VERSION_MARK))
                    .keyword(new NonValidationKeyword(PersonalFields.MARK)).build()));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER).build();
    private static final JsonSchema META = FACTORY.getSchema(
            SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"), CONFIG);

    private ContractCheck() {
    }

    static void check(ValidatedFile file, List<Problem> problems) {
        // read as YAML (JSON is YAML) for the line and column of every node
        YamlTree.parse(file, problems).ifPresent(tree -> {
            JsonNode schema = tree.json();
            List<ValidationMessage> errors = META.validate(schema).stream().toList();
            DslSchemaCheck.report(tree, errors, "not a JSON Schema 2020-12: ", problems);
            JsonNode businessId = schema.get(EventContracts.BUSINESS_ID_MARK);
            if (businessId != null && !businessId.isTextual()) {
                problems.add(Problem.at(file.name(), tree.nodeAt("/" + EventContracts.BUSINESS_ID_MARK),
                        EventContracts.BUSINESS_ID_MARK + " must name a field"));
            }
            if (errors.isEmpty()) {
                try {
                    FACTORY.getSchema(schema, CONFIG).initializeValidators();
                } catch (RuntimeException e) {
                    problems.add(Problem.at(file.name(), tree.root(), "schema does not compile: " + e.getMessage()));
                }
            }
        });
    }
}

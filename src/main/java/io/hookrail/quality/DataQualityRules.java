package io.hookrail.quality;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.ops.AdminRequests;
import io.hookrail.probe.Synthetic;

/**
 * The data-quality rules of every event type (the {@code dataQuality} section of the policy file), and their verdict
 * on one event: every rule it fails, in the order of the file. A {@code known} rule checks an id that is there (a
 * missing one is the {@code required} rule's to report); a synthetic probe's id ({@link Synthetic}) counts as known.
 */
public final class DataQualityRules {

    /** No rules: every event passes. */
    public static final DataQualityRules NONE = new DataQualityRules(Map.of());

    private final Map<String, List<DataQualityRule>> byType;

    public DataQualityRules(Map<String, List<DataQualityRule>> byType) {
        this.byType = Map.copyOf(byType);
    }

    /** The rules of an event type, in the order of the file; empty when it has none. */
    public List<DataQualityRule> of(String eventType) {
        return byType.getOrDefault(eventType, List.of());
    }

    /** The event types that have rules. */
    public java.util.Set<String> eventTypes() {
        return byType.keySet();
    }

    /** Every rule of its type the CloudEvent fails; empty when it passes. */
    public List<DataQualityFailure> check(JsonNode event, KnownIds known) throws SQLException {
        List<DataQualityFailure> failures = new ArrayList<>();
        for (DataQualityRule rule : of(event.path("type").asText())) {
            JsonNode value = rule.valueIn(event);
            switch (rule.kind()) {
                case REQUIRED -> {
                    if (DataQualityRule.isBlank(value)) {
                        failures.add(new DataQualityFailure(rule.id(), rule.field() + " is missing or blank"));
                    }
                }
                case KNOWN -> {
                    if (DataQualityRule.isBlank(value)) {
                        continue;
                    }
                    String id = value.asText();
                    if (!Synthetic.isSynthetic(id) && !known.isKnown(rule.entity(), id)) {
                        failures.add(new DataQualityFailure(rule.id(), rule.field() + " '" + AdminRequests.printable(id) + "' is no "
                                + rule.entity() + " Hookrail has seen"));
                    }
                }
            }
        }
        return failures;
    }
}

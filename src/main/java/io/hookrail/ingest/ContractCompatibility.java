package io.hookrail.ingest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether a new version of a data contract is backward compatible with the old one: every event valid under the old
 * must stay valid under the new. A structural diff of the two schemas, property by property (and array items): a new
 * required field, a removed property, a narrowed type, a removed enum value, a tighter bound
 * ({@code minimum}, {@code maximum}, {@code minLength}, {@code maxLength}, {@code minItems}, {@code maxItems}) or a
 * new or changed {@code pattern} breaks senders, so it needs a new major; a new optional property does not.
 * Conservative by design: a changed pattern counts as incompatible even when it accepts more.
 */
public final class ContractCompatibility {

    private static final List<String> LOWER_BOUNDS = List.of("minimum", "exclusiveMinimum", "minLength", "minItems");
    private static final List<String> UPPER_BOUNDS = List.of("maximum", "exclusiveMaximum", "maxLength", "maxItems");

    private ContractCompatibility() {
    }

    /** Every incompatible change from {@code before} to {@code after}, each naming its place; empty when compatible. */
    public static List<String> breakingChanges(JsonNode before, JsonNode after) {
        List<String> changes = new ArrayList<>();
        compare(before, after, "", changes);
        return changes;
    }

    /**
     * The breaking changes from one version to the next that its version does not allow: none when the major grew.
     *
     * @return messages such as {@code order.placed 1.0.0 -> 1.1.0 is not backward compatible, so needs version 2.0.0:
     *         /shippingAddress: new required field}
     */
    public static List<String> unversionedBreakingChanges(String type, JsonNode before, JsonNode after) {
        String from = before.path(EventContracts.VERSION_MARK).asText();
        String to = after.path(EventContracts.VERSION_MARK).asText();
        if (major(to) > major(from)) {
            return List.of();
        }
        return breakingChanges(before, after).stream()
                .map(change -> type + " " + from + " -> " + to + " is not backward compatible, so needs version "
                        + (major(from) + 1) + ".0.0: " + change)
                .toList();
    }

    private static int major(String semver) {
        try {
            return Integer.parseInt(semver.substring(0, semver.indexOf('.')));
        } catch (RuntimeException notSemver) {
            return 0;
        }
    }

    private static void compare(JsonNode before, JsonNode after, String at, List<String> changes) {
        String here = at.isEmpty() ? "/" : at;
        Set<String> typesBefore = texts(before.get("type"));
        Set<String> typesAfter = texts(after.get("type"));
        if (typesAfter.contains("number")) {
            typesAfter.add("integer"); // every integer is a number
        }
        if (!typesAfter.isEmpty() && !typesAfter.containsAll(typesBefore.isEmpty() ? Set.of("any") : typesBefore)) {
            changes.add(here + ": type narrowed from " + (typesBefore.isEmpty() ? "any" : typesBefore) + " to "
                    + typesAfter);
        }
        if (after.has("enum")) {
            Set<String> allowed = new HashSet<>();
            after.get("enum").forEach(value -> allowed.add(value.toString()));
            if (!before.has("enum")) {
                changes.add(here + ": enum added, values now limited to " + allowed);
            } else {
                before.get("enum").forEach(value -> {
                    if (!allowed.contains(value.toString())) {
                        changes.add(here + ": enum value " + value + " removed");
                    }
                });
            }
        }
        for (String bound : LOWER_BOUNDS) {
            if (after.has(bound) && (!before.has(bound) || after.get(bound).decimalValue()
                    .compareTo(before.get(bound).decimalValue()) > 0)) {
                changes.add(here + ": " + bound + " tightened from " + before.path(bound).asText("none") + " to "
                        + after.get(bound));
            }
        }
        for (String bound : UPPER_BOUNDS) {
            if (after.has(bound) && (!before.has(bound) || after.get(bound).decimalValue()
                    .compareTo(before.get(bound).decimalValue()) < 0)) {
                changes.add(here + ": " + bound + " tightened from " + before.path(bound).asText("none") + " to "
                        + after.get(bound));
            }
        }
        if (after.has("pattern") && !after.get("pattern").equals(before.get("pattern"))) {
            changes.add(here + ": pattern changed from " + before.path("pattern").asText("none") + " to "
                    + after.get("pattern").asText());
        }
        Set<String> requiredBefore = texts(before.get("required"));
        for (String field : texts(after.get("required"))) {
            if (!requiredBefore.contains(field)) {
                changes.add(at + "/" + field + ": new required field");
            }
        }
        JsonNode propertiesAfter = after.path("properties");
        before.path("properties").fields().forEachRemaining(property -> {
            String path = at + "/" + property.getKey();
            if (!propertiesAfter.has(property.getKey())) {
                changes.add(path + ": property removed");
            } else {
                compare(property.getValue(), propertiesAfter.get(property.getKey()), path, changes);
            }
        });
        if (before.path("items").isObject() && after.path("items").isObject()) {
            compare(before.get("items"), after.get("items"), at + "/*", changes);
        }
    }

    private static Set<String> texts(JsonNode node) {
        Set<String> values = new HashSet<>();
        if (node != null && node.isTextual()) {
            values.add(node.asText());
        } else if (node != null) {
            node.forEach(value -> values.add(value.asText()));
        }
        return values;
    }
}

package io.hookrail.quality;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One data-quality rule of an event type: a field that must be there and not blank ({@code required}), or an id that
 * must be known to Hookrail ({@code known}: a refund's {@code data.orderId} names an order Hookrail has seen).
 *
 * @param field  a dotted path into the CloudEvent, e.g. {@code data.orderId}
 * @param entity for {@link Kind#KNOWN}, what the id names ({@link KnownIds#ENTITIES}); null otherwise
 */
public record DataQualityRule(Kind kind, String field, String entity) {

    /** The kinds of rule, as keys of the {@code dataQuality} section. */
    public enum Kind {
        REQUIRED, KNOWN;

        /** The key in the policy file and the prefix of the rule's id: {@code required}, {@code known}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The stable id of the rule, in the API, the metric's {@code rule} label and the audit: {@code known:data.orderId}. */
    public String id() {
        return kind.key() + ":" + field;
    }

    /** The field's value in the event; a missing node when any part of the path is missing. */
    public JsonNode valueIn(JsonNode event) {
        JsonNode node = event;
        for (String part : field.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    /** Whether the value counts as absent: missing, null, or a blank string. */
    static boolean isBlank(JsonNode value) {
        return value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isBlank());
    }
}

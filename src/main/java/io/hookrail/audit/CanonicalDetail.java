package io.hookrail.audit;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The canonical JSON text of an audit entry's detail: one line, object members sorted by key (UTF-16 code unit
 * order, as RFC 8785), arrays in their order, every non-ASCII character escaped ({@code \u00e9}).
 * <p>
 * The text is what the hash covers and what the store keeps, so it must survive any database encoding byte for
 * byte: pure ASCII does, and contains no raw line feed, which keeps the hash input's fields unambiguous.
 */
final class CanonicalDetail {

    private static final int MAX_DEPTH = 64;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .nodeFactory(NODES)
            .build();

    private CanonicalDetail() {
    }

    /**
     * The canonical text of the detail; {@code {}} for null.
     *
     * @throws IllegalArgumentException a value that is not JSON (NaN, a null key, a cycle too deep)
     */
    static String of(Map<String, ?> detail) {
        JsonNode tree = detail == null ? NODES.objectNode() : toNode(detail, 0);
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode toNode(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("audit detail is nested more than " + MAX_DEPTH + " levels deep");
        }
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof JsonNode node) {
            return canonical(node, depth);
        }
        if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (entry.getKey() == null) {
                    throw new IllegalArgumentException("audit detail has a null key");
                }
                String key = String.valueOf(entry.getKey());
                if (sorted.containsKey(key)) {
                    throw new IllegalArgumentException("audit detail has the key '" + key + "' twice");
                }
                sorted.put(key, entry.getValue());
            }
            ObjectNode object = NODES.objectNode();
            sorted.forEach((key, member) -> object.set(key, toNode(member, depth + 1)));
            return object;
        }
        if (value instanceof Iterable<?> iterable) {
            ArrayNode array = NODES.arrayNode();
            iterable.forEach(element -> array.add(toNode(element, depth + 1)));
            return array;
        }
        if (value.getClass().isArray()) {
            ArrayNode array = NODES.arrayNode();
            for (int i = 0; i < Array.getLength(value); i++) {
                array.add(toNode(Array.get(value, i), depth + 1));
            }
            return array;
        }
        if (value instanceof CharSequence || value instanceof Character) {
            return NODES.textNode(value.toString());
        }
        if (value instanceof Enum<?> constant) {
            return NODES.textNode(constant.name());
        }
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof BigInteger integer) {
            return NODES.numberNode(integer);
        }
        if (value instanceof BigDecimal decimal) {
            return NODES.numberNode(decimal);
        }
        if (value instanceof Double || value instanceof Float) {
            // a float by its own shortest decimal form, not widened to 1.100000023841858
            double number = value instanceof Float f ? Double.parseDouble(f.toString()) : (Double) value;
            return finite(number);
        }
        if (value instanceof TemporalAccessor || value instanceof UUID || value instanceof URI) {
            return NODES.textNode(value.toString());
        }
        try {
            return canonical(MAPPER.valueToTree(value), depth);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("audit detail value of type " + value.getClass().getName()
                    + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode canonical(JsonNode node, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("audit detail is nested more than " + MAX_DEPTH + " levels deep");
        }
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode sorted = NODES.objectNode();
            names.forEach(name -> sorted.set(name, canonical(node.get(name), depth + 1)));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(element -> copy.add(canonical(element, depth + 1)));
            return copy;
        }
        if (node.isFloatingPointNumber() && !node.isBigDecimal()) {
            return finite(node.doubleValue());
        }
        if (node.isMissingNode()) {
            return NODES.nullNode();
        }
        return node;
    }

    private static JsonNode finite(double number) {
        if (!Double.isFinite(number)) {
            throw new IllegalArgumentException("audit detail has a number JSON cannot hold: " + number);
        }
        return NODES.numberNode(number);
    }
}

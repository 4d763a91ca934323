package io.hookrail.json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.HttpAnswers;

/**
 * Hashes JSON by meaning, not by bytes: objects are re-serialised with sorted keys, so a retry that orders its fields
 * or spaces its body differently is still recognised as the same request. Used by the sandbox (a repeated call's
 * request) and the approvals (the event data a decision covers).
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    /** The lowercase hex SHA-256 of the node's canonical serialisation. */
    public static String sha256(JsonNode node) {
        try {
            return sha256(HttpAnswers.MAPPER.writeValueAsString(canonical(node)).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A copy with every object's fields in key order; arrays keep their order, which is meaningful. */
    public static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode sorted = HttpAnswers.MAPPER.createObjectNode();
            for (String name : names) {
                sorted.set(name, canonical(node.get(name)));
            }
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode copy = HttpAnswers.MAPPER.createArrayNode();
            node.forEach(element -> copy.add(canonical(element)));
            return copy;
        }
        return node;
    }
}

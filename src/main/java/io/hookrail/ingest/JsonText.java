package io.hookrail.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The text of a webhook body as JSON requires it (RFC 8259: UTF-8) and as every store can keep it. Jackson on its own
 * guesses UTF-16 and UTF-32 from the first bytes and decodes overlong or surrogate UTF-8 sequences into characters
 * (an overlong {@code C0 AF} became '/'); and an escaped NUL (U+0000) or unpaired surrogate is valid JSON that
 * PostgreSQL cannot store and UTF-8 cannot encode. Such a body is refused with 400 instead.
 */
final class JsonText {

    private JsonText() {
    }

    /**
     * The body decoded as strict UTF-8.
     *
     * @throws WebhookRejection 400 for bytes that are not well-formed UTF-8 (overlong forms, surrogates, a byte order
     *                          mark of UTF-16 or UTF-32, truncated sequences)
     */
    static String decode(byte[] body) throws WebhookRejection {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw WebhookRejection.malformed("The body is not well-formed UTF-8, which JSON requires (RFC 8259)",
                    java.util.List.of());
        }
    }

    /**
     * The JSON Pointer of the first member name or string holding U+0000 or an unpaired surrogate, or null when there
     * is none.
     */
    static String firstUnstorable(JsonNode node) {
        return firstUnstorable(node, "");
    }

    private static String firstUnstorable(JsonNode node, String pointer) {
        if (node.isTextual()) {
            return storable(node.textValue()) ? null : pointer;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String child = pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                if (!storable(field.getKey())) {
                    return child;
                }
                String found = firstUnstorable(field.getValue(), child);
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = firstUnstorable(node.get(i), pointer + "/" + i);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static boolean storable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}

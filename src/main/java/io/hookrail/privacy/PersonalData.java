package io.hookrail.privacy;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Encrypts and decrypts the personal data Hookrail keeps: the personal fields of a CloudEvent's {@code data} (each
 * value's JSON text, so numbers and objects come back as they were), and whole columns that have no schema (the step
 * journal's downstream requests and responses). A value that is not encrypted (written before encryption was on)
 * passes through decryption unchanged.
 */
public final class PersonalData {

    /** The registry name of the bean. */
    public static final String BEAN = "personalData";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PersonalFields fields;
    private final FieldCipher cipher;
    private final Pseudonyms pseudonyms;

    public PersonalData(PersonalFields fields, FieldCipher cipher, Pseudonyms pseudonyms) {
        this.fields = fields;
        this.cipher = cipher;
        this.pseudonyms = pseudonyms;
    }

    public PersonalFields fields() {
        return fields;
    }

    public Pseudonyms pseudonyms() {
        return pseudonyms;
    }

    /** The CloudEvent JSON with the personal fields of its {@code data} encrypted; other JSON as it is. */
    public String encryptEvent(String cloudEvent) {
        try {
            JsonNode event = MAPPER.readTree(cloudEvent);
            if (!(event instanceof ObjectNode) || !event.path("data").isObject() || !event.path("type").isTextual()) {
                return cloudEvent;
            }
            fields.rewrite(event.get("type").asText(), event.get("data"), (context, value) ->
                    value.isTextual() && FieldCipher.isEncrypted(value.asText()) ? value
                            : TextNode.valueOf(cipher.encrypt(context, value.toString())));
            return event.toString();
        } catch (IOException e) {
            throw new IllegalArgumentException("not a CloudEvent in JSON", e);
        }
    }

    /** Decrypts, in place, the personal fields of a CloudEvent's {@code data}; returns the same node. */
    public JsonNode decryptEvent(JsonNode event) {
        if (event != null && event.path("data").isObject() && event.path("type").isTextual()) {
            fields.rewrite(event.get("type").asText(), event.get("data"), (context, value) -> {
                if (!value.isTextual() || !FieldCipher.isEncrypted(value.asText())) {
                    return value;
                }
                try {
                    return MAPPER.readTree(cipher.decrypt(context, value.asText()));
                } catch (IOException e) {
                    throw new TamperedValueException(context, "the plaintext is not JSON");
                }
            });
        }
        return event;
    }

    /** A CloudEvent's JSON with its personal fields decrypted. */
    public JsonNode decryptEvent(String cloudEvent) throws IOException {
        return decryptEvent(MAPPER.readTree(cloudEvent));
    }

    /** One value (a column, or a field outside an event) encrypted for its context; null stays null. */
    public String encrypt(String context, String value) {
        return value == null ? null : cipher.encrypt(context, value);
    }

    /** The plaintext of {@link #encrypt}; a value that is not encrypted is returned as it is. */
    public String decrypt(String context, String value) {
        return FieldCipher.isEncrypted(value) ? cipher.decrypt(context, value) : value;
    }
}

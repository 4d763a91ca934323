package io.hookrail.ops.logging;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.hookrail.privacy.PersonalFields;

/**
 * Masks personal data in text bound for a log: e-mail addresses anywhere ({@code amina.otieno@example.com} becomes
 * {@code a***@example.com}), and the values of the JSON fields that hold a person's name or address
 * ({@code "name": "Amina Otieno"} becomes {@code "name": "***"}), also inside JSON escaped into a string.
 * <p>
 * Fields masked: the names of the fields the event schemas mark personal ({@link PersonalFields}), read from the
 * schemas on the classpath, plus {@value #DOWNSTREAM_FIELDS_DOC}, the names the flows give those values in
 * downstream requests. A value cut short (a body logged truncated) is masked to the end of the text.
 * Regular expressions are compiled once; text without {@code @} or {@code "} is returned without running them.
 */
public final class PersonalDataMasking {

    static final String MASK = "***";
    /** Names that downstream requests give personal values (the email step's recipient, the CRM's contact). */
    static final String DOWNSTREAM_FIELDS_DOC = "to, customerName";
    static final Set<String> DOWNSTREAM_FIELDS = Set.of("to", "customerName");
    /** Masked when the schemas cannot be read (they always can in a built Hookrail). */
    private static final Set<String> FALLBACK_FIELDS = Set.of("name", "email", "requestedBy");

    private static volatile Set<String> fields = Set.of();
    /**
     * local@domain.tld, or local%40domain.tld as in a URL; the first character of the local part is kept. Every
     * repetition is bounded (a local part of up to 64 characters as RFC 5321 allows, up to 9 labels of up to 63), so
     * the work per start position is bounded and a long run of letters without an address costs linear time, not
     * quadratic (an unbounded {@code [..]*} rescanned the whole run from every position).
     */
    static final Pattern EMAIL = Pattern.compile(
            "([\\p{L}\\p{N}_+-])[\\p{L}\\p{N}._+-]{0,63}(@|%40)([\\p{L}\\p{N}-]{1,63}(?:\\.[\\p{L}\\p{N}-]{1,63}){1,8})");
    /** "field" : "value" with JSON escapes in the value; the closing quote may be missing (truncated text). */
    static volatile Pattern JSON_FIELD;
    /** The same field in JSON that is itself a JSON (or Java) string: \"field\" : \"value\". */
    static volatile Pattern ESCAPED_JSON_FIELD;

    static {
        Set<String> names;
        try {
            names = PersonalFields.discover().fieldNames();
        } catch (RuntimeException unreadable) {
            names = FALLBACK_FIELDS;
        }
        maskFields(names);
    }

    private PersonalDataMasking() {
    }

    /** Masks the values of these JSON fields (and of {@link #DOWNSTREAM_FIELDS}) from now on. */
    public static synchronized void maskFields(Collection<String> personalFields) {
        Set<String> names = new TreeSet<>(personalFields);
        names.addAll(DOWNSTREAM_FIELDS);
        // literal names in one alternation: no repetition is added, so the scan stays linear
        String alternation = "(?:" + names.stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")";
        JSON_FIELD = Pattern.compile("(\"" + alternation + "\"\\s{0,32}:\\s{0,32}\")(?:[^\"\\\\]|\\\\.)*+(\"?)",
                Pattern.CASE_INSENSITIVE);
        ESCAPED_JSON_FIELD = Pattern.compile("(\\\\\"" + alternation
                + "\\\\\"\\s{0,32}:\\s{0,32}\\\\\")(?:[^\"\\\\]|\\\\(?!\"))*+((?:\\\\\")?)", Pattern.CASE_INSENSITIVE);
        fields = Set.copyOf(names);
    }

    /** The JSON field names whose values are masked. */
    public static Set<String> maskedFields() {
        return fields;
    }

    /** The text with personal data masked; the same text when there is none. */
    public static String mask(CharSequence text) {
        String masked = text.toString();
        if (masked.indexOf('"') >= 0) {
            masked = replace(JSON_FIELD, masked, "$1" + MASK + "$2");
            if (masked.contains("\\\"")) {
                masked = replace(ESCAPED_JSON_FIELD, masked, "$1" + MASK + "$2");
            }
        }
        if (masked.indexOf('@') >= 0 || masked.contains("%40")) {
            masked = replace(EMAIL, masked, "$1" + MASK + "$2$3");
        }
        return masked;
    }

    private static String replace(Pattern pattern, String text, String replacement) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.replaceAll(replacement) : text;
    }
}

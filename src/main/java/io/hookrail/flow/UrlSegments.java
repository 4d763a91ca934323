package io.hookrail.flow;

import java.nio.charset.StandardCharsets;

/**
 * Makes a value one flow received (a downstream response's id, say) safe to splice into a downstream URL as one path
 * segment, as in {@code /invoices/${exchangeProperty.invoiceIdSegment}/cancel}: the value is validated, then
 * percent-encoded (RFC 3986: everything but the unreserved characters), so it can never add a segment, climb to
 * another resource, start a query or a fragment, or end the request line. A value that fails validation throws, so
 * the call, and the compensation it is part of, fails loudly instead of calling another URL.
 */
public final class UrlSegments {

    public static final String BEAN = "urlSegments";
    /** Longer than any id a downstream system hands out. */
    public static final int MAX_LENGTH = 200;

    /** The value as one encoded path segment. */
    public String segment(String value) {
        return encode(value);
    }

    /**
     * Validates the value (present, at most {@value #MAX_LENGTH} characters, no control characters, no path
     * separators {@code /} or {@code \}, no {@code ?}, {@code #} or {@code %}, not {@code .} or {@code ..}, no
     * surrounding blanks) and percent-encodes it as one path segment.
     *
     * @throws IllegalArgumentException when the value cannot be one
     */
    public static String encode(String value) {
        if (value == null || value.isEmpty()) {
            throw invalid("it is missing", value);
        }
        if (value.length() > MAX_LENGTH) {
            throw invalid("it is longer than " + MAX_LENGTH + " characters", value);
        }
        if (!value.strip().equals(value)) {
            throw invalid("it begins or ends with blanks", value);
        }
        if (".".equals(value) || "..".equals(value)) {
            throw invalid("it is a dot segment", value);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw invalid("it holds a control character", value);
            }
            if (c == '/' || c == '\\' || c == '?' || c == '#' || c == '%') {
                throw invalid("it holds '" + c + "'", value);
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(value.charAt(i - 1)))) {
                throw invalid("it is not valid Unicode", value);
            }
        }
        StringBuilder encoded = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }

    private static IllegalArgumentException invalid(String why, String value) {
        String shown = value == null ? "null" : value.length() > 40 ? value.substring(0, 40) + "…" : value;
        shown = shown.replaceAll("\\p{Cntrl}", "?");
        return new IllegalArgumentException("Refusing to put \"" + shown + "\" into a downstream URL: " + why);
    }
}

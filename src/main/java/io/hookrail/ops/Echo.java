package io.hookrail.ops;

/**
 * Makes a value taken from a request safe to echo in a log line or a problem body: control characters (and the
 * other invisible format characters) become {@code ?}, and the value is cut to a bounded length, marked with
 * {@code …}. A sender cannot forge log lines, hide text, or make an answer or a log line grow with its input.
 */
public final class Echo {

    /** The longest echoed value, in characters, before the cut mark. */
    public static final int MAX_LENGTH = 64;

    private Echo() {
    }

    /** The value bounded to {@value #MAX_LENGTH} characters and stripped of control characters; "null" for null. */
    public static String safe(Object value) {
        return safe(value, MAX_LENGTH);
    }

    public static String safe(Object value, int maxLength) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        boolean cut = text.length() > maxLength;
        int end = cut ? maxLength : text.length();
        StringBuilder safe = new StringBuilder(end + 1);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            boolean invisible = Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE && cut && i == end - 1;
            safe.append(invisible ? '?' : c);
        }
        if (cut) {
            safe.append('…');
        }
        return safe.toString();
    }
}

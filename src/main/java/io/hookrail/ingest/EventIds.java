package io.hookrail.ingest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The one canonical form of an event id, which is both what the sender signed (Standard Webhooks signs
 * {@code webhook-id}; Stripe signs the body holding {@code id}) and what the door deduplicates: letters, digits and
 * {@code . _ : -}, 1 to {@value #MAX_LENGTH} characters. An id of any other shape (padded, too long, with control
 * characters) is refused with 400, never trimmed or cut: a trimmed id would be a second id for the same event.
 * <p>
 * GitHub signs no id (its {@code X-GitHub-Delivery} header is unsigned), so a GitHub event's id is
 * {@code sha256:<hex SHA-256 of the signed body>}: a re-post of the same body is a duplicate whatever its headers.
 */
public final class EventIds {

    public static final int MAX_LENGTH = 200;
    public static final String SYNTAX = "[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}";
    private static final Pattern CANONICAL = Pattern.compile(SYNTAX);
    private static final HexFormat HEX = HexFormat.of();

    private EventIds() {
    }

    public static boolean isCanonical(String id) {
        // the length first: the pattern never scans a long input
        return id != null && !id.isEmpty() && id.length() <= MAX_LENGTH && CANONICAL.matcher(id).matches();
    }

    /**
     * @param where where the id was read, e.g. "header webhook-id" or "/id"
     * @throws WebhookRejection 400 when the id is not canonical
     */
    public static String require(String id, String where) throws WebhookRejection {
        if (!isCanonical(id)) {
            throw WebhookRejection.invalidEventId(where, id == null ? "" : id);
        }
        return id;
    }

    /** The id of a body whose sender signs no id: {@code sha256:} and the lowercase hex digest of the bytes. */
    public static String ofBody(byte[] body) {
        try {
            return "sha256:" + HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}

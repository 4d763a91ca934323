package io.hookrail.ingest.signature;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/** Verifies Standard Webhooks signatures: HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}". */
public final class StandardWebhooksScheme implements SignatureScheme {

    /** The configuration name of this scheme. */
    public static final String NAME = "standard-webhooks";
    /** Unique message id; signed, and also the idempotency key. */
    public static final String ID_HEADER = "webhook-id";
    /** Unix seconds of this delivery attempt; signed and bounded by {@link SignatureSchemes#TOLERANCE}. */
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    /** Space-separated list of "{version},{base64 signature}" entries. */
    public static final String SIGNATURE_HEADER = "webhook-signature";
    /** Prefix that identifies a serialized symmetric secret; the rest is base64. */
    public static final String SECRET_PREFIX = "whsec_";

    // v1 is HMAC-SHA256; other versions (e.g. v1a, ed25519) are skipped, not rejected, per the spec.
    private static final String VERSION = "v1";
    private static final char VERSION_SEPARATOR = ',';
    private static final String ENTRY_SEPARATOR = " ";
    private static final byte[] DOT = {'.'};
    private static final String NO_MATCH = "no matching signature";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void verify(Delivery delivery, List<String> secrets, Instant now) throws InvalidSignatureException {
        // the id exactly as received: the gateway deduplicates this same string (and refuses one that is not canonical)
        String msgId = Headers.requireExact(delivery, ID_HEADER);
        String timestamp = Headers.require(delivery, TIMESTAMP_HEADER);
        String signatureHeader = Headers.require(delivery, SIGNATURE_HEADER);
        Timestamps.checkTolerance(
                Timestamps.parseSeconds(timestamp, "invalid " + TIMESTAMP_HEADER + " header"), now);

        List<byte[]> candidates = v1Signatures(signatureHeader);
        byte[] body = Objects.requireNonNull(delivery.body(), "delivery body");
        for (String secret : secrets) {
            // Sign the timestamp exactly as received: that string, not a re-formatted number, is what was signed.
            byte[] expected = mac(secret, msgId, timestamp, body);
            for (byte[] candidate : candidates) {
                if (Hmac.matches(expected, candidate)) {
                    return;
                }
            }
        }
        throw new InvalidSignatureException(NO_MATCH);
    }

    @Override
    public void checkSecret(String secret) {
        if (key(secret).length == 0) {
            throw new IllegalArgumentException("signing secret must not be empty");
        }
    }

    /**
     * Signs a message the way a Standard Webhooks sender does.
     *
     * @param secret the secret, with or without the {@value #SECRET_PREFIX} prefix
     * @return the {@value #SIGNATURE_HEADER} header value, {@code v1,<base64>}
     */
    public static String sign(String secret, String msgId, long timestampSeconds, byte[] body) {
        byte[] mac = mac(secret, msgId, Long.toString(timestampSeconds), body);
        return VERSION + VERSION_SEPARATOR + Base64.getEncoder().encodeToString(mac);
    }

    private static byte[] mac(String secret, String msgId, String timestamp, byte[] body) {
        return Hmac.sha256(key(secret),
                msgId.getBytes(StandardCharsets.UTF_8), DOT,
                timestamp.getBytes(StandardCharsets.UTF_8), DOT,
                body);
    }

    /** Decodes the HMAC key: base64 after the optional {@value #SECRET_PREFIX} prefix. */
    private static byte[] key(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            // A configuration error, not a bad delivery; the message deliberately omits the secret.
            throw new IllegalArgumentException(NAME + " secret is not valid base64", e);
        }
    }

    /** Returns the decoded v1 signatures; entries of other versions or with undecodable values cannot match. */
    private static List<byte[]> v1Signatures(String header) {
        List<byte[]> signatures = new ArrayList<>();
        for (String entry : header.split(ENTRY_SEPARATOR)) {
            int separator = entry.indexOf(VERSION_SEPARATOR);
            if (separator < 0 || !VERSION.equals(entry.substring(0, separator))) {
                continue;
            }
            try {
                signatures.add(Base64.getDecoder().decode(entry.substring(separator + 1)));
            } catch (IllegalArgumentException e) {
                // Garbage in one entry must not hide a valid signature in another one.
                continue;
            }
        }
        return signatures;
    }
}

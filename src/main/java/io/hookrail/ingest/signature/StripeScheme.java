package io.hookrail.ingest.signature;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/** Verifies Stripe signatures: {@code Stripe-Signature: t=<ts>,v1=<hex HMAC-SHA256(secret, "{t}.{body}")>}. */
public final class StripeScheme implements SignatureScheme {

    /** The configuration name of this scheme. */
    public static final String NAME = "stripe";
    /** Comma-separated {@code key=value} list carrying the timestamp and signatures. */
    public static final String SIGNATURE_HEADER = "Stripe-Signature";
    /** Key of the signed Unix timestamp in seconds. */
    public static final String TIMESTAMP_KEY = "t";
    /** Key of an HMAC-SHA256 signature; several appear while a secret is being rolled. */
    public static final String SIGNATURE_KEY = "v1";

    // v0 (test-mode legacy) and unknown keys are ignored: only v1 is HMAC-SHA256 over "{t}.{body}".
    private static final String ELEMENT_SEPARATOR = ",";
    private static final char KEY_VALUE_SEPARATOR = '=';
    private static final byte[] DOT = {'.'};
    private static final HexFormat HEX = HexFormat.of();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void verify(Delivery delivery, List<String> secrets, Instant now) throws InvalidSignatureException {
        String header = Headers.require(delivery, SIGNATURE_HEADER);
        String timestamp = null;
        List<byte[]> candidates = new ArrayList<>();
        boolean sawSignature = false;
        for (String element : header.split(ELEMENT_SEPARATOR)) {
            int separator = element.indexOf(KEY_VALUE_SEPARATOR);
            if (separator < 0) {
                continue;
            }
            String key = element.substring(0, separator).trim();
            String value = element.substring(separator + 1).trim();
            // The first t wins, as in Stripe's own libraries; t is signed, so a forged one cannot match anyway.
            if (TIMESTAMP_KEY.equals(key) && timestamp == null) {
                timestamp = value;
            } else if (SIGNATURE_KEY.equals(key)) {
                sawSignature = true;
                addDecoded(candidates, value);
            }
        }
        if (timestamp == null) {
            throw new InvalidSignatureException("malformed " + SIGNATURE_HEADER + " header: no timestamp");
        }
        if (!sawSignature) {
            throw new InvalidSignatureException("malformed " + SIGNATURE_HEADER + " header: no v1 signature");
        }
        Timestamps.checkTolerance(Timestamps.parseSeconds(timestamp,
                "malformed " + SIGNATURE_HEADER + " header: timestamp is not an integer"), now);

        byte[] body = Objects.requireNonNull(delivery.body(), "delivery body");
        for (String secret : secrets) {
            byte[] expected = mac(secret, timestamp, body);
            for (byte[] candidate : candidates) {
                if (Hmac.matches(expected, candidate)) {
                    return;
                }
            }
        }
        throw new InvalidSignatureException("no matching signature");
    }

    /**
     * Signs a body the way Stripe does.
     *
     * @param secret the endpoint secret, e.g. {@code whsec_...}, used verbatim as the key
     * @return the {@value #SIGNATURE_HEADER} header value, {@code t=<ts>,v1=<hex>}
     */
    public static String sign(String secret, long timestampSeconds, byte[] body) {
        String timestamp = Long.toString(timestampSeconds);
        return TIMESTAMP_KEY + KEY_VALUE_SEPARATOR + timestamp + ELEMENT_SEPARATOR
                + SIGNATURE_KEY + KEY_VALUE_SEPARATOR + HEX.formatHex(mac(secret, timestamp, body));
    }

    private static byte[] mac(String secret, String timestamp, byte[] body) {
        // Unlike Standard Webhooks, Stripe keys the HMAC with the whole "whsec_..." text, not base64-decoded.
        return Hmac.sha256(secret.getBytes(StandardCharsets.UTF_8),
                timestamp.getBytes(StandardCharsets.UTF_8), DOT, body);
    }

    private static void addDecoded(List<byte[]> candidates, String hex) {
        try {
            candidates.add(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            // A malformed entry cannot match; skipping it keeps a valid sibling usable.
        }
    }
}

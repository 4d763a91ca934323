package io.hookrail.ingest.signature;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Verifies GitHub signatures: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>}.
 *
 * <p>GitHub signs no timestamp and no id, so a captured delivery stays valid forever: replay protection relies on
 * the gateway deduplicating by a hash of the signed body (never by the unsigned {@link #DELIVERY_HEADER}), not on
 * this check.
 */
public final class GitHubScheme implements SignatureScheme {

    /** The configuration name of this scheme. */
    public static final String NAME = "github";
    /** Carries {@value #SIGNATURE_PREFIX} followed by the lowercase hex HMAC-SHA256 of the body. */
    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    /** Unique delivery GUID; not signed, so not used for deduplication (the body's hash is). */
    public static final String DELIVERY_HEADER = "X-GitHub-Delivery";
    /** The event name, e.g. "push"; not signed. */
    public static final String EVENT_HEADER = "X-GitHub-Event";
    /** Prefix of the signature header value, naming the digest. */
    public static final String SIGNATURE_PREFIX = "sha256=";

    // HexFormat parses either case, so an upper-case sender still matches.
    private static final HexFormat HEX = HexFormat.of();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void verify(Delivery delivery, List<String> secrets, Instant now) throws InvalidSignatureException {
        String header = Headers.require(delivery, SIGNATURE_HEADER);
        if (!header.startsWith(SIGNATURE_PREFIX)) {
            throw new InvalidSignatureException(SIGNATURE_HEADER + " header must start with " + SIGNATURE_PREFIX);
        }
        byte[] given;
        try {
            given = HEX.parseHex(header, SIGNATURE_PREFIX.length(), header.length());
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException("malformed " + SIGNATURE_HEADER + " header", e);
        }

        byte[] body = Objects.requireNonNull(delivery.body(), "delivery body");
        for (String secret : secrets) {
            if (Hmac.matches(mac(secret, body), given)) {
                return;
            }
        }
        throw new InvalidSignatureException("no matching signature");
    }

    /**
     * Signs a body the way GitHub does.
     *
     * @return the {@value #SIGNATURE_HEADER} header value, {@code sha256=<lowercase hex>}
     */
    public static String sign(String secret, byte[] body) {
        return SIGNATURE_PREFIX + HEX.formatHex(mac(secret, body));
    }

    private static byte[] mac(String secret, byte[] body) {
        // GitHub uses the secret text itself as the key, not a decoded form of it.
        return Hmac.sha256(secret.getBytes(StandardCharsets.UTF_8), body);
    }
}

package io.hookrail.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms of personal values for the audit chain: {@code p:<first 16 hex of HMAC-SHA256>} of the trimmed,
 * lower-cased value, so one person is always the same id (an auditor can correlate) and the chain holds no personal
 * data. Without the key ({@code hookrail.crypto.pseudonymKey}) a pseudonym cannot be reversed by guessing values.
 */
public final class Pseudonyms {

    public static final String PREFIX = "p:";

    private final byte[] key;

    public Pseudonyms(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the pseudonym key must have at least 32 bytes");
        }
        this.key = key.clone();
    }

    /** The pseudonym of a value; null stays null. */
    public String of(String value) {
        if (value == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(value.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

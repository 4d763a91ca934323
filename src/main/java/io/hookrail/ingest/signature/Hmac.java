package io.hookrail.ingest.signature;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 and constant-time comparison shared by the schemes. */
final class Hmac {

    private static final String ALGORITHM = "HmacSHA256";

    private Hmac() {
    }

    /**
     * Computes HMAC-SHA256 over the concatenation of {@code parts}.
     *
     * @throws IllegalArgumentException if the key is empty (a configuration error, not a bad delivery)
     */
    static byte[] sha256(byte[] key, byte[]... parts) {
        // SecretKeySpec rejects empty keys with a vague message; say what is wrong instead.
        if (key.length == 0) {
            throw new IllegalArgumentException("signing secret must not be empty");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            // Feeding the parts separately avoids copying the body and never re-decodes it as text.
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime must provide HmacSHA256, so this is an environment fault.
            throw new IllegalStateException(ALGORITHM + " is unavailable", e);
        }
    }

    /** Compares two MACs in time independent of where they first differ, so timing cannot leak a valid MAC. */
    static boolean matches(byte[] expected, byte[] given) {
        return MessageDigest.isEqual(expected, given);
    }
}

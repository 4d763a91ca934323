package io.hookrail.privacy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM of one value: {@value #PREFIX}{@code <keyId>:<base64(iv || ciphertext || tag)>}, a 12-byte random IV and
 * a 128-bit tag. The key id and the value's place ({@code context}, e.g. the field's JSON pointer or the column) are
 * the associated data, so a value moved to another field or relabelled with another key id does not decrypt.
 */
public final class FieldCipher {

    /** How every encrypted value starts. */
    public static final String PREFIX = "enc:v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final FieldKeys keys;
    private final SecureRandom random = new SecureRandom();

    public FieldCipher(FieldKeys keys) {
        this.keys = keys;
    }

    public static boolean isEncrypted(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** The value encrypted under the active key, bound to its context. */
    public String encrypt(String context, String plaintext) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        String keyId = keys.activeId();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.active(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(keyId, context));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + keyId + ":" + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The plaintext of a value {@link #encrypt} made for this context, under any listed key.
     *
     * @throws UnknownKeyException       when the value's key id is not listed
     * @throws TamperedValueException when the value is malformed, altered, or made for another context
     */
    public String decrypt(String context, String value) {
        if (!isEncrypted(value)) {
            throw new TamperedValueException(context, "not an " + PREFIX + " value");
        }
        int colon = value.indexOf(':', PREFIX.length());
        if (colon < 0) {
            throw new TamperedValueException(context, "no key id");
        }
        String keyId = value.substring(PREFIX.length(), colon);
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(value.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new TamperedValueException(context, "not base64");
        }
        if (sealed.length < IV_BYTES + TAG_BITS / 8) {
            throw new TamperedValueException(context, "too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, keys.key(keyId), new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            cipher.updateAAD(aad(keyId, context));
            return new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new TamperedValueException(context, "authentication failed (altered, or made for another field)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] aad(String keyId, String context) {
        return (keyId + "\n" + context).getBytes(StandardCharsets.UTF_8);
    }
}

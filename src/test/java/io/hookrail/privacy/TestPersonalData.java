package io.hookrail.privacy;

import java.security.SecureRandom;
import java.util.Base64;

/** Field-encryption keys and a {@link PersonalData} for tests that build stores without a Hookrail instance. */
public final class TestPersonalData {

    private TestPersonalData() {
    }

    /** {@code <id>:<base64 of 32 random bytes>}, one entry of {@code hookrail.crypto.keys}. */
    public static String key(String id) {
        byte[] key = new byte[FieldKeys.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return id + ":" + Base64.getEncoder().encodeToString(key);
    }

    /** Base64 of 32 random bytes, a {@code hookrail.crypto.pseudonymKey}. */
    public static String pseudonymKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public static PersonalData create() {
        return new PersonalData(PersonalFields.discover(), new FieldCipher(FieldKeys.parse(key("test-1"), "")),
                new Pseudonyms(Base64.getDecoder().decode(pseudonymKey())));
    }
}

package io.hookrail.privacy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AES-256-GCM of one value: round trip, fresh IVs, and each way a value can fail to decrypt. */
class FieldCipherTest {

    static final String KEY_A = TestPersonalData.key("a");
    static final String KEY_B = TestPersonalData.key("b");
    static final String CONTEXT = "order.placed/customer/email";

    @Test
    void aValueRoundTripsUnderItsKeyIdAndEachEncryptionDiffers() {
        FieldCipher cipher = new FieldCipher(FieldKeys.parse(KEY_A, ""));
        String once = cipher.encrypt(CONTEXT, "\"amina.otieno@example.com\"");
        String twice = cipher.encrypt(CONTEXT, "\"amina.otieno@example.com\"");
        assertTrue(once.startsWith("enc:v1:a:"), once);
        assertNotEquals(once, twice, "a random IV per value");
        assertEquals("\"amina.otieno@example.com\"", cipher.decrypt(CONTEXT, once));
        assertEquals("\"amina.otieno@example.com\"", cipher.decrypt(CONTEXT, twice));
    }

    @Test
    void theActiveKeyEncryptsAndEveryListedKeyDecrypts() {
        String underA = new FieldCipher(FieldKeys.parse(KEY_A, "")).encrypt(CONTEXT, "x");
        FieldCipher rotated = new FieldCipher(FieldKeys.parse(KEY_A + "," + KEY_B, "b"));
        assertTrue(rotated.encrypt(CONTEXT, "y").startsWith("enc:v1:b:"));
        assertEquals("x", rotated.decrypt(CONTEXT, underA));
        assertTrue(new FieldCipher(FieldKeys.parse(KEY_B + "," + KEY_A, "")).encrypt(CONTEXT, "z")
                .startsWith("enc:v1:a:"), "without an active id, the last key listed encrypts");
    }

    @Test
    void aTamperedValueDoesNotDecrypt() {
        FieldCipher cipher = new FieldCipher(FieldKeys.parse(KEY_A, ""));
        String value = cipher.encrypt(CONTEXT, "\"amina.otieno@example.com\"");
        byte[] sealed = Base64.getDecoder().decode(value.substring("enc:v1:a:".length()));
        sealed[sealed.length / 2] ^= 1;
        String tampered = "enc:v1:a:" + Base64.getEncoder().encodeToString(sealed);
        TamperedValueException failure = assertThrows(TamperedValueException.class,
                () -> cipher.decrypt(CONTEXT, tampered));
        assertEquals("encrypted value at " + CONTEXT + " does not decrypt: authentication failed (altered, or made for"
                + " another field)", failure.getMessage());
        assertThrows(TamperedValueException.class, () -> cipher.decrypt(CONTEXT, "enc:v1:a:not base64!"));
        assertThrows(TamperedValueException.class, () -> cipher.decrypt(CONTEXT, "enc:v1:a:AAAA"));
    }

    @Test
    void aValueMovedToAnotherFieldOrRelabelledWithAnotherKeyIdDoesNotDecrypt() {
        FieldCipher cipher = new FieldCipher(FieldKeys.parse(KEY_A + "," + KEY_B, "a"));
        String value = cipher.encrypt(CONTEXT, "\"amina.otieno@example.com\"");
        assertThrows(TamperedValueException.class, () -> cipher.decrypt("order.placed/customer/name", value));
        // the same key bytes under another id: the key id is associated data too
        String sameKeyOtherId = "a2:" + KEY_A.substring(KEY_A.indexOf(':') + 1);
        FieldCipher relabelled = new FieldCipher(FieldKeys.parse(KEY_A + "," + sameKeyOtherId, "a"));
        assertThrows(TamperedValueException.class,
                () -> relabelled.decrypt(CONTEXT, value.replace("enc:v1:a:", "enc:v1:a2:")));
    }

    @Test
    void anUnknownKeyIdIsAClearError() {
        String underB = new FieldCipher(FieldKeys.parse(KEY_B, "")).encrypt(CONTEXT, "x");
        UnknownKeyException failure = assertThrows(UnknownKeyException.class,
                () -> new FieldCipher(FieldKeys.parse(KEY_A, "")).decrypt(CONTEXT, underB));
        assertEquals("value encrypted under key id 'b', which hookrail.crypto.keys does not list (it lists [a]): keep"
                + " every key that encrypted stored data listed until that data is purged", failure.getMessage());
    }

    @Test
    void malformedKeyListsAreRefusedWithTheirProblem() {
        assertEquals("hookrail.crypto.keys lists no key",
                assertThrows(IllegalArgumentException.class, () -> FieldKeys.parse(" ", "")).getMessage());
        assertEquals("hookrail.crypto.keys: key a has 16 bytes, AES-256 needs 32", assertThrows(
                IllegalArgumentException.class, () -> FieldKeys.parse("a:" + Base64.getEncoder()
                        .encodeToString(new byte[16]), "")).getMessage());
        assertEquals("hookrail.crypto.keys: key id a is listed twice", assertThrows(IllegalArgumentException.class,
                () -> FieldKeys.parse(KEY_A + "," + KEY_A, "")).getMessage());
        assertEquals("hookrail.crypto.keys: key a is not base64", assertThrows(IllegalArgumentException.class,
                () -> FieldKeys.parse("a:***", "")).getMessage());
        assertEquals("hookrail.crypto.keys: each entry is <id>:<base64 key>, the id of 1 to 32 letters, digits, '.',"
                + " '_' or '-'", assertThrows(IllegalArgumentException.class,
                () -> FieldKeys.parse("no-colon", "")).getMessage());
        assertEquals("hookrail.crypto.activeKeyId c is not one of the keys in hookrail.crypto.keys [a]",
                assertThrows(IllegalArgumentException.class, () -> FieldKeys.parse(KEY_A, "c")).getMessage());
    }
}

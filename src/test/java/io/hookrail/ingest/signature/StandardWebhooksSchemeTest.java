package io.hookrail.ingest.signature;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StandardWebhooksSchemeTest {

    // Known-answer vector from the Standard Webhooks spec repository's reference libraries.
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330L;
    private static final String SPEC_BODY = "{\"test\": 2432232314}";
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    // base64 of "old-secret-old-secret-old-secret"
    private static final String OLD_SECRET = "whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZC1zZWNyZXQ=";
    private static final long NOW_SECONDS = 1_700_000_000L;
    private static final long TOLERANCE_SECONDS = SignatureSchemes.TOLERANCE.toSeconds();

    @Test
    void signMatchesSpecVector() {
        String signature = StandardWebhooksScheme.sign(
                SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_BODY.getBytes(StandardCharsets.UTF_8));

        assertEquals(SPEC_SIGNATURE, signature);
    }

    @Test
    void verifySpecVectorPasses() {
        assertDoesNotThrow(TestScenario.specVector()::verify);
    }

    @Test
    void verifyValidDeliveryPasses() {
        assertDoesNotThrow(TestScenario.valid()::verify);
    }

    @Test
    void verifySecretWorksWithOrWithoutPrefix() {
        String unprefixed = SPEC_SECRET.substring(StandardWebhooksScheme.SECRET_PREFIX.length());

        assertDoesNotThrow(TestScenario.specVector().withSecrets(unprefixed)::verify);
    }

    @Test
    void verifyMultipleSignaturesPasses() {
        assertDoesNotThrow(TestScenario.valid().withMultipleSignatures()::verify);
    }

    @Test
    void verifyRotatedOldSecretPasses() {
        // The sender still signs with the old secret while both are configured here.
        assertDoesNotThrow(TestScenario.valid().signedWith(OLD_SECRET).withSecrets(SPEC_SECRET, OLD_SECRET)::verify);
    }

    @Test
    void verifyHeaderWithTwoSignaturesPassesForEitherSecret() {
        assertDoesNotThrow(TestScenario.valid().signedWithBoth(SPEC_SECRET, OLD_SECRET).withSecrets(OLD_SECRET)::verify);
        assertDoesNotThrow(TestScenario.valid().signedWithBoth(SPEC_SECRET, OLD_SECRET).withSecrets(SPEC_SECRET)::verify);
    }

    @Test
    void verifyTimestampAtToleranceEdgePasses() {
        assertDoesNotThrow(TestScenario.valid().withTimestamp(NOW_SECONDS - TOLERANCE_SECONDS)::verify);
        assertDoesNotThrow(TestScenario.valid().withTimestamp(NOW_SECONDS + TOLERANCE_SECONDS)::verify);
    }

    @Test
    void verifyTimestampJustInsideTolerancePasses() {
        assertDoesNotThrow(TestScenario.valid().withTimestamp(NOW_SECONDS - TOLERANCE_SECONDS + 1)::verify);
        assertDoesNotThrow(TestScenario.valid().withTimestamp(NOW_SECONDS + TOLERANCE_SECONDS - 1)::verify);
    }

    @Test
    void verifyMissingIdThrowsException() {
        assertRejected(TestScenario.valid().withoutHeader(StandardWebhooksScheme.ID_HEADER),
                "missing webhook-id header");
    }

    @Test
    void verifyMissingTimestampThrowsException() {
        assertRejected(TestScenario.valid().withoutHeader(StandardWebhooksScheme.TIMESTAMP_HEADER),
                "missing webhook-timestamp header");
    }

    @Test
    void verifyMissingSignatureThrowsException() {
        assertRejected(TestScenario.valid().withoutHeader(StandardWebhooksScheme.SIGNATURE_HEADER),
                "missing webhook-signature header");
    }

    @Test
    void verifyBlankSignatureThrowsException() {
        assertRejected(TestScenario.valid().withHeader(StandardWebhooksScheme.SIGNATURE_HEADER, "  "),
                "missing webhook-signature header");
    }

    @Test
    void verifyNonIntegerTimestampThrowsException() {
        InvalidSignatureException e = assertRejected(
                TestScenario.valid().withHeader(StandardWebhooksScheme.TIMESTAMP_HEADER, "2021-02-25T15:02:10Z"),
                "invalid webhook-timestamp header");
        assertInstanceOf(NumberFormatException.class, e.getCause());
    }

    @Test
    void verifyOldTimestampThrowsException() {
        assertRejected(TestScenario.valid().withOldTimestamp(), "timestamp outside the 5-minute tolerance");
    }

    @Test
    void verifyFutureTimestampThrowsException() {
        assertRejected(TestScenario.valid().withFutureTimestamp(), "timestamp outside the 5-minute tolerance");
    }

    @Test
    void verifyTamperedBodyThrowsException() {
        assertRejected(TestScenario.valid().withBody("{\"test\": 2432232315}"), "no matching signature");
    }

    @Test
    void verifyTamperedIdThrowsException() {
        assertRejected(TestScenario.valid().withHeader(StandardWebhooksScheme.ID_HEADER, "msg_other"),
                "no matching signature");
    }

    @Test
    void aPaddedIdIsNotTheIdThatWasSigned() {
        // the id is verified exactly as received: the trimmed id was signed, the padded one is another id
        String signedId = new TestScenario().withTimestamp(NOW_SECONDS).headers.get(StandardWebhooksScheme.ID_HEADER);
        assertRejected(TestScenario.valid().withHeader(StandardWebhooksScheme.ID_HEADER, signedId + " "),
                "no matching signature");
        assertRejected(TestScenario.valid().withHeader(StandardWebhooksScheme.ID_HEADER, " " + signedId),
                "no matching signature");
    }

    @Test
    void verifyTamperedTimestampThrowsException() {
        // Still within tolerance, but not the timestamp that was signed.
        assertRejected(TestScenario.valid().withHeader(
                StandardWebhooksScheme.TIMESTAMP_HEADER, Long.toString(NOW_SECONDS + 1)), "no matching signature");
    }

    @Test
    void verifyWrongSecretThrowsException() {
        assertRejected(TestScenario.valid().withSecrets(OLD_SECRET), "no matching signature");
    }

    @Test
    void verifyNoSecretsThrowsException() {
        assertRejected(TestScenario.valid().withSecrets(), "no matching signature");
    }

    @Test
    void verifySignatureWithDifferentVersionThrowsException() {
        assertRejected(TestScenario.valid().withWrongVersion(), "no matching signature");
    }

    @Test
    void verifyMissingPartsInSignatureThrowsException() {
        assertRejected(TestScenario.valid().withHeader(StandardWebhooksScheme.SIGNATURE_HEADER, "invalid_signature"),
                "no matching signature");
    }

    @Test
    void verifySignatureMismatchThrowsException() {
        assertRejected(TestScenario.valid().withHeader(StandardWebhooksScheme.SIGNATURE_HEADER, "v1,invalid_signature"),
                "no matching signature");
    }

    @Test
    void verifyNonBase64SecretThrowsIllegalArgumentExceptionWithoutTheSecret() {
        String badSecret = "whsec_not*base64*at*all";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                TestScenario.valid().withSecrets(badSecret)::verify);

        assertFalse(e.getMessage().contains(badSecret));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }

    private static InvalidSignatureException assertRejected(TestScenario scenario, String reason) {
        InvalidSignatureException e = assertThrows(InvalidSignatureException.class, scenario::verify);
        assertEquals(reason, e.getMessage());
        for (String secret : scenario.secrets) {
            assertFalse(e.getMessage().contains(secret), "reason must never contain a secret");
        }
        return e;
    }

    /** A valid delivery plus one mutation per test, after the standard-webhooks Java library's TestScenario. */
    private static final class TestScenario {

        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private String msgId = SPEC_MSG_ID;
        private byte[] body = SPEC_BODY.getBytes(StandardCharsets.UTF_8);
        private List<String> secrets = List.of(SPEC_SECRET);
        private Instant now = Instant.ofEpochSecond(NOW_SECONDS);

        static TestScenario valid() {
            return new TestScenario().withTimestamp(NOW_SECONDS);
        }

        static TestScenario specVector() {
            TestScenario scenario = new TestScenario();
            scenario.now = Instant.ofEpochSecond(SPEC_TIMESTAMP);
            scenario.headers.put(StandardWebhooksScheme.ID_HEADER, SPEC_MSG_ID);
            scenario.headers.put(StandardWebhooksScheme.TIMESTAMP_HEADER, Long.toString(SPEC_TIMESTAMP));
            scenario.headers.put(StandardWebhooksScheme.SIGNATURE_HEADER, SPEC_SIGNATURE);
            return scenario;
        }

        /** Sets the timestamp header and re-signs, so only the tolerance check can fail. */
        TestScenario withTimestamp(long timestampSeconds) {
            headers.put(StandardWebhooksScheme.ID_HEADER, msgId);
            headers.put(StandardWebhooksScheme.TIMESTAMP_HEADER, Long.toString(timestampSeconds));
            return signedWith(SPEC_SECRET);
        }

        TestScenario withOldTimestamp() {
            return withTimestamp(NOW_SECONDS - TOLERANCE_SECONDS - 1);
        }

        TestScenario withFutureTimestamp() {
            return withTimestamp(NOW_SECONDS + TOLERANCE_SECONDS + 1);
        }

        TestScenario signedWith(String secret) {
            return withHeader(StandardWebhooksScheme.SIGNATURE_HEADER, signature(secret));
        }

        TestScenario signedWithBoth(String first, String second) {
            return withHeader(StandardWebhooksScheme.SIGNATURE_HEADER, signature(first) + " " + signature(second));
        }

        TestScenario withMultipleSignatures() {
            String valid = headers.get(StandardWebhooksScheme.SIGNATURE_HEADER);
            return withHeader(StandardWebhooksScheme.SIGNATURE_HEADER, String.join(" ",
                    "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
                    "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
                    valid,
                    "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="));
        }

        /** Keeps the valid signature bytes but labels them with another version, which must be ignored. */
        TestScenario withWrongVersion() {
            String valid = headers.get(StandardWebhooksScheme.SIGNATURE_HEADER);
            return withHeader(StandardWebhooksScheme.SIGNATURE_HEADER, "v2" + valid.substring(2));
        }

        TestScenario withHeader(String name, String value) {
            headers.put(name, value);
            return this;
        }

        TestScenario withoutHeader(String name) {
            headers.remove(name);
            return this;
        }

        /** Replaces the body without re-signing, as a tampering intermediary would. */
        TestScenario withBody(String newBody) {
            body = newBody.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        TestScenario withSecrets(String... newSecrets) {
            secrets = List.of(newSecrets);
            return this;
        }

        void verify() throws InvalidSignatureException {
            new StandardWebhooksScheme().verify(new TestDelivery(headers, body), secrets, now);
        }

        private String signature(String secret) {
            long timestamp = Long.parseLong(headers.get(StandardWebhooksScheme.TIMESTAMP_HEADER));
            return StandardWebhooksScheme.sign(secret, msgId, timestamp, body);
        }
    }
}

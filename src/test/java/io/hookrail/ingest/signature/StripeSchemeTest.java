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

class StripeSchemeTest {

    // Header published in Stripe's webhook docs; no secret is published, so it can only be parsed, not matched.
    private static final String DOCS_HEADER = "t=1492774577,"
            + "v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd,"
            + "v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39";
    private static final String DOCS_V0 = "6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39";
    private static final long TIMESTAMP = 1492774577L;

    // Known answer computed independently with openssl:
    //   printf '1492774577.{"id":"evt_test"}' | openssl dgst -sha256 -hmac 'whsec_fe78c9c78ba6508d3c615b247ff10163'
    // The key is the whole "whsec_..." text, so this also pins that Stripe secrets are not base64-decoded.
    private static final String SECRET = "whsec_fe78c9c78ba6508d3c615b247ff10163";
    private static final String BODY = "{\"id\":\"evt_test\"}";
    private static final String OPENSSL_V1 = "2fbc6cbbfb62e349e0180a587789928ddcae67bfad5b9451639be6bf35f794af";

    private static final String OLD_SECRET = "whsec_0123456789abcdef0123456789abcdef";
    private static final long TOLERANCE_SECONDS = SignatureSchemes.TOLERANCE.toSeconds();

    @Test
    void signMatchesOpensslVector() {
        assertEquals("t=1492774577,v1=" + OPENSSL_V1,
                StripeScheme.sign(SECRET, TIMESTAMP, BODY.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void verifyOpensslVectorPasses() {
        assertDoesNotThrow(TestScenario.valid()::verify);
    }

    @Test
    void verifyDocsHeaderIsParsedAndV0Ignored() {
        // Parsing and the timestamp check succeed; only the (unknown) secret fails to match.
        assertRejected(TestScenario.valid().withHeader(DOCS_HEADER), "no matching signature");
    }

    @Test
    void verifyDocsHeaderShapeWithOurV1Passes() {
        assertDoesNotThrow(TestScenario.valid().withHeader(DOCS_HEADER.replace(
                "5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd", OPENSSL_V1))::verify);
    }

    @Test
    void verifyUnknownKeysAndSpacesAreIgnored() {
        assertDoesNotThrow(TestScenario.valid()
                .withHeader("t=1492774577, scheme=x,v1=" + OPENSSL_V1 + " ,v0=" + DOCS_V0)::verify);
    }

    @Test
    void verifyRotatedOldSecretPasses() {
        assertDoesNotThrow(TestScenario.valid().signedWith(OLD_SECRET).withSecrets(SECRET, OLD_SECRET)::verify);
    }

    @Test
    void verifyHeaderWithTwoSignaturesPassesForEitherSecret() {
        String oldV1 = StripeScheme.sign(OLD_SECRET, TIMESTAMP, BODY.getBytes(StandardCharsets.UTF_8))
                .substring("t=1492774577,".length());
        String header = "t=1492774577,v1=" + OPENSSL_V1 + "," + oldV1;

        assertDoesNotThrow(TestScenario.valid().withHeader(header).withSecrets(OLD_SECRET)::verify);
        assertDoesNotThrow(TestScenario.valid().withHeader(header).withSecrets(SECRET)::verify);
    }

    @Test
    void verifyTimestampAtToleranceEdgePasses() {
        assertDoesNotThrow(TestScenario.valid().at(TIMESTAMP + TOLERANCE_SECONDS)::verify);
        assertDoesNotThrow(TestScenario.valid().at(TIMESTAMP - TOLERANCE_SECONDS)::verify);
    }

    @Test
    void verifyTimestampJustInsideTolerancePasses() {
        assertDoesNotThrow(TestScenario.valid().at(TIMESTAMP + TOLERANCE_SECONDS - 1)::verify);
        assertDoesNotThrow(TestScenario.valid().at(TIMESTAMP - TOLERANCE_SECONDS + 1)::verify);
    }

    @Test
    void verifyOldTimestampThrowsException() {
        assertRejected(TestScenario.valid().at(TIMESTAMP + TOLERANCE_SECONDS + 1),
                "timestamp outside the 5-minute tolerance");
    }

    @Test
    void verifyFutureTimestampThrowsException() {
        assertRejected(TestScenario.valid().at(TIMESTAMP - TOLERANCE_SECONDS - 1),
                "timestamp outside the 5-minute tolerance");
    }

    @Test
    void verifyMissingHeaderThrowsException() {
        assertRejected(TestScenario.valid().withoutHeader(), "missing Stripe-Signature header");
    }

    @Test
    void verifyMissingTimestampThrowsException() {
        assertRejected(TestScenario.valid().withHeader("v1=" + OPENSSL_V1),
                "malformed Stripe-Signature header: no timestamp");
    }

    @Test
    void verifyMissingV1ThrowsException() {
        assertRejected(TestScenario.valid().withHeader("t=1492774577,v0=" + DOCS_V0),
                "malformed Stripe-Signature header: no v1 signature");
    }

    @Test
    void verifyHeaderWithoutKeyValuePairsThrowsException() {
        assertRejected(TestScenario.valid().withHeader(OPENSSL_V1),
                "malformed Stripe-Signature header: no timestamp");
    }

    @Test
    void verifyNonIntegerTimestampThrowsException() {
        InvalidSignatureException e = assertRejected(
                TestScenario.valid().withHeader("t=yesterday,v1=" + OPENSSL_V1),
                "malformed Stripe-Signature header: timestamp is not an integer");
        assertInstanceOf(NumberFormatException.class, e.getCause());
    }

    @Test
    void verifyNonHexSignatureThrowsException() {
        assertRejected(TestScenario.valid().withHeader("t=1492774577,v1=not-hex"), "no matching signature");
    }

    @Test
    void verifyTamperedBodyThrowsException() {
        assertRejected(TestScenario.valid().withBody("{\"id\":\"evt_evil\"}"), "no matching signature");
    }

    @Test
    void verifyTamperedTimestampThrowsException() {
        // Still within tolerance, but not the timestamp that was signed.
        assertRejected(TestScenario.valid().withHeader("t=1492774578,v1=" + OPENSSL_V1), "no matching signature");
    }

    @Test
    void verifyWrongSecretThrowsException() {
        assertRejected(TestScenario.valid().withSecrets(OLD_SECRET), "no matching signature");
    }

    @Test
    void verifyNoSecretsThrowsException() {
        assertRejected(TestScenario.valid().withSecrets(), "no matching signature");
    }

    private static InvalidSignatureException assertRejected(TestScenario scenario, String reason) {
        InvalidSignatureException e = assertThrows(InvalidSignatureException.class, scenario::verify);
        assertEquals(reason, e.getMessage());
        for (String secret : scenario.secrets) {
            assertFalse(e.getMessage().contains(secret), "reason must never contain a secret");
        }
        return e;
    }

    /** A valid delivery (the openssl vector, verified at its own timestamp) plus one mutation per test. */
    private static final class TestScenario {

        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        private List<String> secrets = List.of(SECRET);
        private Instant now = Instant.ofEpochSecond(TIMESTAMP);

        static TestScenario valid() {
            return new TestScenario().withHeader("t=1492774577,v1=" + OPENSSL_V1);
        }

        TestScenario signedWith(String secret) {
            return withHeader(StripeScheme.sign(secret, TIMESTAMP, body));
        }

        TestScenario withHeader(String value) {
            headers.put(StripeScheme.SIGNATURE_HEADER, value);
            return this;
        }

        TestScenario withoutHeader() {
            headers.remove(StripeScheme.SIGNATURE_HEADER);
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

        TestScenario at(long nowSeconds) {
            now = Instant.ofEpochSecond(nowSeconds);
            return this;
        }

        void verify() throws InvalidSignatureException {
            new StripeScheme().verify(new TestDelivery(headers, body), secrets, now);
        }
    }
}

package io.hookrail.ingest.signature;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GitHubSchemeTest {

    // Known-answer vector from GitHub's "Validating webhook deliveries" documentation.
    private static final String DOCS_SECRET = "It's a Secret to Everybody";
    private static final String DOCS_BODY = "Hello, World!";
    private static final String DOCS_SIGNATURE =
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    private static final String OLD_SECRET = "an older secret still being rotated out";
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

    @Test
    void signMatchesGitHubDocsVector() {
        assertEquals(DOCS_SIGNATURE, GitHubScheme.sign(DOCS_SECRET, DOCS_BODY.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void verifyGitHubDocsVectorPasses() {
        assertDoesNotThrow(TestScenario.valid()::verify);
    }

    @Test
    void verifyUppercaseHexPasses() {
        String upper = "sha256=" + DOCS_SIGNATURE.substring("sha256=".length()).toUpperCase(Locale.ROOT);

        assertDoesNotThrow(TestScenario.valid().withSignature(upper)::verify);
    }

    @Test
    void verifyIgnoresDeliveryTime() {
        // No timestamp is signed: replays are caught by X-GitHub-Delivery deduplication, not here.
        assertDoesNotThrow(TestScenario.valid().at(NOW.plusSeconds(365L * 24 * 3600))::verify);
    }

    @Test
    void verifyRotatedOldSecretPasses() {
        assertDoesNotThrow(TestScenario.valid().signedWith(OLD_SECRET).withSecrets(DOCS_SECRET, OLD_SECRET)::verify);
    }

    @Test
    void verifyMissingSignatureThrowsException() {
        assertRejected(TestScenario.valid().withoutSignature(), "missing X-Hub-Signature-256 header");
    }

    @Test
    void verifyWrongPrefixThrowsException() {
        assertRejected(TestScenario.valid().withSignature("sha1=" + DOCS_SIGNATURE.substring("sha256=".length())),
                "X-Hub-Signature-256 header must start with sha256=");
    }

    @Test
    void verifyNonHexSignatureThrowsException() {
        InvalidSignatureException e = assertRejected(TestScenario.valid().withSignature("sha256=not-hex"),
                "malformed X-Hub-Signature-256 header");
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }

    @Test
    void verifyTruncatedSignatureThrowsException() {
        assertRejected(TestScenario.valid().withSignature(DOCS_SIGNATURE.substring(0, DOCS_SIGNATURE.length() - 2)),
                "no matching signature");
    }

    @Test
    void verifyTamperedBodyThrowsException() {
        assertRejected(TestScenario.valid().withBody("Hello, World?"), "no matching signature");
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

    /** A valid delivery (GitHub's docs vector) plus one mutation per test. */
    private static final class TestScenario {

        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private byte[] body = DOCS_BODY.getBytes(StandardCharsets.UTF_8);
        private List<String> secrets = List.of(DOCS_SECRET);
        private Instant now = NOW;

        static TestScenario valid() {
            TestScenario scenario = new TestScenario();
            scenario.headers.put(GitHubScheme.DELIVERY_HEADER, "72d3162e-cc78-11e3-81ab-4c9367dc0958");
            scenario.headers.put(GitHubScheme.EVENT_HEADER, "push");
            return scenario.withSignature(DOCS_SIGNATURE);
        }

        TestScenario signedWith(String secret) {
            return withSignature(GitHubScheme.sign(secret, body));
        }

        TestScenario withSignature(String value) {
            headers.put(GitHubScheme.SIGNATURE_HEADER, value);
            return this;
        }

        TestScenario withoutSignature() {
            headers.remove(GitHubScheme.SIGNATURE_HEADER);
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

        TestScenario at(Instant instant) {
            now = instant;
            return this;
        }

        void verify() throws InvalidSignatureException {
            new GitHubScheme().verify(new TestDelivery(headers, body), secrets, now);
        }
    }
}

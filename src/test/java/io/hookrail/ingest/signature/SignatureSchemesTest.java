package io.hookrail.ingest.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignatureSchemesTest {

    @Test
    void byNameReturnsStandardWebhooks() {
        SignatureScheme scheme = SignatureSchemes.byName("standard-webhooks");

        assertInstanceOf(StandardWebhooksScheme.class, scheme);
        assertEquals("standard-webhooks", scheme.name());
    }

    @Test
    void byNameReturnsGitHub() {
        SignatureScheme scheme = SignatureSchemes.byName("github");

        assertInstanceOf(GitHubScheme.class, scheme);
        assertEquals("github", scheme.name());
    }

    @Test
    void byNameReturnsStripe() {
        SignatureScheme scheme = SignatureSchemes.byName("stripe");

        assertInstanceOf(StripeScheme.class, scheme);
        assertEquals("stripe", scheme.name());
    }

    @Test
    void byNameUnknownThrowsExceptionNamingValidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SignatureSchemes.byName("svix"));

        assertTrue(e.getMessage().contains("svix"), e.getMessage());
        assertTrue(e.getMessage().contains("standard-webhooks, github, stripe"), e.getMessage());
    }

    @Test
    void byNameNullThrowsException() {
        assertThrows(IllegalArgumentException.class, () -> SignatureSchemes.byName(null));
    }

    @Test
    void toleranceIsFiveMinutes() {
        assertEquals(Duration.ofMinutes(5), SignatureSchemes.TOLERANCE);
    }
}

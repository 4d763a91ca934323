package io.hookrail.ops.profile;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What each profile lets start: one case per rule of the production profile, each message asserted. */
class ProfileCheckTest {

    static final String SHOP = "whsec_" + Base64.getEncoder().encodeToString("a-32-byte-production-shop-key!!!".getBytes());
    static final String PAYMENTS = "whsec_stripe-style-production-secret-0001";
    static final String TOKEN = "op-" + "x".repeat(40);
    static final String CRYPTO_KEYS = "k1:" + Base64.getEncoder().encodeToString(new byte[32]) + ",k2:"
            + Base64.getEncoder().encodeToString("a-32-byte-field-encryption-key!!".getBytes());
    static final String PSEUDONYM_KEY = Base64.getEncoder().encodeToString("a-32-byte-audit-pseudonym-key!!!".getBytes());

    /** A production configuration that starts: own secrets and tokens, no sandbox, loopback listeners. */
    static Map<String, String> production() {
        Map<String, String> properties = new HashMap<>();
        properties.put(ProfileCheck.KEY, "production");
        properties.put("hookrail.sources", "shop,payments");
        properties.put("hookrail.source.shop.scheme", "standard-webhooks");
        properties.put("hookrail.source.shop.secret", SHOP);
        properties.put("hookrail.source.payments.scheme", "stripe");
        properties.put("hookrail.source.payments.secret", PAYMENTS);
        properties.put("hookrail.admin.users", "operator");
        properties.put("hookrail.admin.user.operator.token", TOKEN);
        properties.put("hookrail.sandbox.enabled", "false");
        properties.put("camel.server.host", "127.0.0.1");
        properties.put("camel.management.host", "127.0.0.1");
        properties.put("hookrail.crypto.keys", CRYPTO_KEYS);
        properties.put("hookrail.crypto.pseudonymKey", PSEUDONYM_KEY);
        return properties;
    }

    static List<String> problems(Map<String, String> properties) {
        return ProfileCheck.problems(properties::get);
    }

    @Test
    void theDemoProfileIsTheDefaultAndStartsWithItsPublishedCredentials() {
        Map<String, String> demo = production();
        demo.remove(ProfileCheck.KEY);
        demo.put("hookrail.source.shop.secret", "whsec_zdPH5QVI07sGLlDNTQBHLQgRxLqMuiOb");
        demo.put("hookrail.sandbox.enabled", "true");
        assertEquals(List.of(), problems(demo));
    }

    @Test
    void theDemoProfileListensOnLoopbackOnly() {
        Map<String, String> demo = production();
        demo.put(ProfileCheck.KEY, "demo");
        demo.put("camel.server.host", "0.0.0.0");
        assertEquals(List.of("camel.server.host is 0.0.0.0: the demo profile listens on loopback only (set"
                + " hookrail.profile=production to listen on another address)"), problems(demo));
    }

    @Test
    void anUnknownProfileIsRefused() {
        Map<String, String> properties = production();
        properties.put(ProfileCheck.KEY, "staging");
        assertEquals(List.of("hookrail.profile is 'staging': it must be demo or production"), problems(properties));
    }

    @Test
    void aProductionConfigurationOfItsOwnStarts() {
        assertEquals(List.of(), problems(production()));
    }

    @Test
    void productionRefusesADemoSecret() {
        Map<String, String> properties = production();
        properties.put("hookrail.source.shop.secondarySecret", "whsec_zdPH5QVI07sGLlDNTQBHLQgRxLqMuiOb");
        assertEquals(List.of("hookrail.source.shop.secondarySecret is a published demo secret: set"
                + " HOOKRAIL_SOURCE_SHOP_SECONDARYSECRET"), problems(properties));
    }

    @Test
    void productionRefusesADemoToken() {
        Map<String, String> properties = production();
        properties.put("hookrail.admin.user.operator.token", "demo-operator-token");
        assertEquals(List.of("hookrail.admin.user.operator.token is a published demo token: set"
                + " HOOKRAIL_ADMIN_USER_OPERATOR_TOKEN"), problems(properties));
    }

    @Test
    void productionRefusesTheSandbox() {
        Map<String, String> properties = production();
        properties.put("hookrail.sandbox.enabled", "true");
        assertEquals(List.of("hookrail.sandbox.enabled is true: the sandbox of fake downstream systems is for the"
                + " demo profile only"), problems(properties));
    }

    @Test
    void productionRefusesPlainHttpOnANonLoopbackAddress() {
        Map<String, String> properties = production();
        properties.put("camel.server.host", "0.0.0.0");
        properties.put("camel.management.host", "10.0.0.7");
        assertEquals(List.of(
                "camel.server.host is 0.0.0.0: plain HTTP on a non-loopback address (put Hookrail behind a"
                        + " TLS-terminating proxy on loopback)",
                "camel.management.host is 10.0.0.7: plain HTTP on a non-loopback address (put Hookrail behind a"
                        + " TLS-terminating proxy on loopback)"), problems(properties));
    }

    @Test
    void productionRefusesStandardWebhooksKeysOutsideTwentyFourToSixtyFourBytes() {
        Map<String, String> properties = production();
        properties.put("hookrail.source.shop.secret", "whsec_" + Base64.getEncoder().encodeToString(new byte[16]));
        assertEquals(List.of("hookrail.source.shop.secret has a 16-byte key: Standard Webhooks needs 24 to 64 bytes"),
                problems(properties));
        properties.put("hookrail.source.shop.secret", "whsec_" + Base64.getEncoder().encodeToString(new byte[65]));
        assertEquals(List.of("hookrail.source.shop.secret has a 65-byte key: Standard Webhooks needs 24 to 64 bytes"),
                problems(properties));
        properties.put("hookrail.source.shop.secret", "not-a-whsec-secret");
        assertEquals(List.of("hookrail.source.shop.secret is not a Standard Webhooks secret (whsec_ and base64)"),
                problems(properties));
    }

    @Test
    void productionRefusesShortStripeSecretsAndTokens() {
        Map<String, String> properties = production();
        properties.put("hookrail.source.payments.secret", "whsec_short");
        properties.put("hookrail.admin.user.operator.token", "short-token");
        assertEquals(List.of("hookrail.source.payments.secret is shorter than 32 characters",
                "hookrail.admin.user.operator.token is shorter than 32 characters"), problems(properties));
    }

    @Test
    void productionRefusesToStartWithoutFieldEncryptionAndPseudonymKeys() {
        Map<String, String> properties = production();
        properties.remove("hookrail.crypto.keys");
        properties.remove("hookrail.crypto.pseudonymKey");
        assertEquals(List.of("hookrail.crypto.keys is not set: set HOOKRAIL_CRYPTO_KEYS to <id>:<base64 of 32 bytes>,"
                + " the keys that encrypt personal data at rest", "hookrail.crypto.pseudonymKey is not set: set"
                + " HOOKRAIL_CRYPTO_PSEUDONYMKEY to base64 of at least 32 bytes, the key of the audit trail's"
                + " pseudonyms"), problems(properties));
    }

    @Test
    void productionRefusesShortOrUnknownCryptoKeys() {
        Map<String, String> properties = production();
        properties.put("hookrail.crypto.keys", "k1:" + Base64.getEncoder().encodeToString(new byte[16]));
        properties.put("hookrail.crypto.pseudonymKey", Base64.getEncoder().encodeToString(new byte[16]));
        assertEquals(List.of("hookrail.crypto.keys: key k1 has 16 bytes, AES-256 needs 32",
                "hookrail.crypto.pseudonymKey is not base64 of at least 32 bytes"), problems(properties));
        properties = production();
        properties.put("hookrail.crypto.activeKeyId", "k3");
        assertEquals(List.of("hookrail.crypto.activeKeyId k3 is not one of the keys in hookrail.crypto.keys [k1, k2]"),
                problems(properties));
    }
}

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
    static final String SEAL_KEY = Base64.getEncoder().encodeToString("a-32-byte-event-seal-key-of-ours".getBytes());
    static final String BROKER_PASSWORD = "broker-" + "y".repeat(32);
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
        properties.put("hookrail.broker.sealKey", SEAL_KEY);
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
                "camel.server.host is 0.0.0.0: plain HTTP on a non-loopback address (serve it over TLS:"
                        + " camel.ssl.enabled=true, camel.ssl.keyStore and camel.server.useGlobalSslContextParameters=true;"
                        + " or listen on loopback)",
                "camel.management.host is 10.0.0.7: plain HTTP on a non-loopback address (serve it over TLS:"
                        + " camel.ssl.enabled=true, camel.ssl.keyStore and"
                        + " camel.management.useGlobalSslContextParameters=true; or listen on loopback)"),
                problems(properties));
    }

    @Test
    void productionListensOnAnyAddressOverTls() {
        Map<String, String> properties = tls(production());
        properties.put("camel.server.host", "0.0.0.0");
        assertEquals(List.of(), problems(properties));
        // the management listener needs TLS of its own: the business listener's does not cover it
        properties.put("camel.management.host", "0.0.0.0");
        assertEquals(List.of("camel.management.host is 0.0.0.0: plain HTTP on a non-loopback address (serve it over"
                + " TLS: camel.ssl.enabled=true, camel.ssl.keyStore and"
                + " camel.management.useGlobalSslContextParameters=true; or listen on loopback)"), problems(properties));
        properties.put("camel.management.useGlobalSslContextParameters", "true");
        assertEquals(List.of(), problems(properties));
        // TLS without a key store is no TLS
        properties.remove("camel.ssl.keyStore");
        assertEquals(2, problems(properties).size(), String.valueOf(problems(properties)));
    }

    @Test
    void productionRefusesAClientCertificateRequirementWithoutAPin() {
        Map<String, String> properties = mutualTls(production());
        properties.put("hookrail.source.shop.clientCertificate.required", "true");
        assertEquals(List.of("hookrail.source.shop.clientCertificate.required is true but nothing is pinned: set"
                + " hookrail.source.shop.clientCertificate.subject or hookrail.source.shop.clientCertificate.spkiSha256"),
                problems(properties));
        properties.put("hookrail.source.shop.clientCertificate.spkiSha256", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        assertEquals(List.of(), problems(properties));
    }

    @Test
    void productionRefusesAPinThatIsNotRequired() {
        Map<String, String> properties = mutualTls(production());
        properties.put("hookrail.source.shop.clientCertificate.subject", "CN=shop.example.com");
        assertEquals(List.of("hookrail.source.shop.clientCertificate pins a certificate but"
                + " hookrail.source.shop.clientCertificate.required is not true: the pin would not be checked"),
                problems(properties));
    }

    @Test
    void productionRefusesPinsWhileTheListenerAsksForNoClientCertificate() {
        Map<String, String> properties = tls(production());
        properties.put("hookrail.source.shop.clientCertificate.required", "true");
        properties.put("hookrail.source.shop.clientCertificate.subject", "CN=shop.example.com");
        String refusal = "hookrail.source.shop.clientCertificate is configured but the business listener does not ask"
                + " for client certificates: set camel.ssl.clientAuthentication=WANT with TLS on camel.server";
        assertEquals(List.of(refusal), problems(properties));
        properties.put("camel.ssl.clientAuthentication", "NONE");
        assertEquals(List.of(refusal), problems(properties));
        Map<String, String> plain = production();
        plain.put("camel.ssl.clientAuthentication", "WANT");
        plain.put("hookrail.source.shop.clientCertificate.required", "true");
        plain.put("hookrail.source.shop.clientCertificate.subject", "CN=shop.example.com");
        assertEquals(List.of(refusal), problems(plain), "client authentication on a plain-HTTP listener asks for nothing");
    }

    @Test
    void productionRefusesClientCertificatesWithoutATrustStoreOrTrustingAll() {
        Map<String, String> properties = mutualTls(production());
        properties.remove("camel.ssl.trustStore");
        properties.put("camel.ssl.trustAllCertificates", "true");
        assertEquals(List.of("camel.ssl.trustAllCertificates is true: every client certificate would be trusted",
                "camel.ssl.clientAuthentication is WANT but camel.ssl.trustStore is not set: client certificates would"
                        + " be verified against the JDK's public certificate authorities"), problems(properties));
    }

    /** TLS on the business listener. */
    static Map<String, String> tls(Map<String, String> properties) {
        properties.put("camel.ssl.enabled", "true");
        properties.put("camel.ssl.keyStore", "file:/etc/hookrail/tls/listener.p12");
        properties.put("camel.server.useGlobalSslContextParameters", "true");
        return properties;
    }

    /** TLS on the business listener, asking for client certificates against a trust store. */
    static Map<String, String> mutualTls(Map<String, String> properties) {
        tls(properties).put("camel.ssl.clientAuthentication", "WANT");
        properties.put("camel.ssl.trustStore", "file:/etc/hookrail/tls/client-cas.p12");
        return properties;
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
    void productionRefusesToStartWithoutAConfiguredSealKey() {
        Map<String, String> properties = production();
        properties.remove("hookrail.broker.sealKey");
        assertEquals(List.of("hookrail.broker.sealKey is not set: set HOOKRAIL_BROKER_SEALKEY (base64, at least 32"
                + " bytes), the same on every instance (a key made in the data directory is the demo's)"),
                problems(properties));
    }

    @Test
    void productionRefusesAShortOrMalformedSealKey() {
        Map<String, String> properties = production();
        properties.put("hookrail.broker.sealKey", Base64.getEncoder().encodeToString(new byte[31]));
        assertEquals(List.of("hookrail.broker.sealKey has 31 bytes: it needs at least 32"), problems(properties));
        properties.put("hookrail.broker.sealKey", "not base64!");
        assertEquals(List.of("hookrail.broker.sealKey is not base64"), problems(properties));
    }

    @Test
    void productionRefusesTheBrokerConnectorWithoutAUserAndARealPassword() {
        Map<String, String> properties = production();
        properties.put("hookrail.broker.tcp.enabled", "true");
        assertEquals(List.of("hookrail.broker.tcp.username is not set: the broker's TCP connector is enabled",
                "hookrail.broker.tcp.password is shorter than 32 characters: set HOOKRAIL_BROKER_TCP_PASSWORD"),
                problems(properties));
        properties.put("hookrail.broker.tcp.username", "ops-tool");
        properties.put("hookrail.broker.tcp.password", "short");
        assertEquals(List.of("hookrail.broker.tcp.password is shorter than 32 characters: set"
                + " HOOKRAIL_BROKER_TCP_PASSWORD"), problems(properties));
        properties.put("hookrail.broker.tcp.password", BROKER_PASSWORD);
        properties.put("hookrail.broker.tcp.monitor.username", "monitoring");
        assertEquals(List.of("hookrail.broker.tcp.monitor.password is shorter than 32 characters: set"
                + " HOOKRAIL_BROKER_TCP_MONITOR_PASSWORD"), problems(properties));
        properties.put("hookrail.broker.tcp.monitor.password", BROKER_PASSWORD + "-monitor");
        assertEquals(List.of(), problems(properties));
        // an external broker has no connector of Hookrail's: its credentials are that broker's business
        properties.put("hookrail.broker.url", "tcp://broker:61616");
        properties.put("hookrail.broker.tcp.password", "short");
        assertEquals(List.of(), problems(properties));
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

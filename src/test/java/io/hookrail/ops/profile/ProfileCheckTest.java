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
}

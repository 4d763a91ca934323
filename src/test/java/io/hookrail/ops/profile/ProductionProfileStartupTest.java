package io.hookrail.ops.profile;

import java.nio.file.Files;
import java.util.Map;

import io.hookrail.support.HookrailProcess;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar} with the shipped defaults and the production profile does not start, and says why. */
class ProductionProfileStartupTest {

    @Test
    void theProductionProfileWithTheShippedDefaultsStopsNamingEveryProblem() throws Exception {
        try (HookrailProcess hookrail = new HookrailProcess(Files.createTempDirectory("hookrail-profile-"),
                Map.of(ProfileCheck.KEY, ProfileCheck.PRODUCTION))) {
            IllegalStateException stopped = assertThrows(IllegalStateException.class, hookrail::start);
            assertTrue(stopped.getMessage().contains("exited during startup"), stopped.getMessage());
            String output = hookrail.output();
            assertTrue(output.contains("Hookrail refuses to start in the production profile"), output);
            for (String problem : new String[] {
                    "hookrail.source.shop.secret is a published demo secret: set HOOKRAIL_SOURCE_SHOP_SECRET",
                    "hookrail.source.payments.secret is a published demo secret",
                    "hookrail.source.crm.secret is a published demo secret",
                    "hookrail.source.support.secret is a published demo secret",
                    "hookrail.admin.user.viewer.token is a published demo token",
                    "hookrail.admin.user.approver2.token is a published demo token",
                    "hookrail.sandbox.enabled is true",
                    "hookrail.broker.sealKey is not set: set HOOKRAIL_BROKER_SEALKEY"}) {
                assertTrue(output.contains(problem), problem + " not named in: " + output);
            }
        }
    }

    @Test
    void theProductionProfileRefusesPlainHttpOnAnyAddressAndUncheckedClientCertificatePins() throws Exception {
        Map<String, String> properties = new java.util.HashMap<>(Map.of(ProfileCheck.KEY, ProfileCheck.PRODUCTION,
                "camel.server.host", "0.0.0.0",
                "hookrail.source.shop.clientCertificate.required", "true",
                "hookrail.source.crm.clientCertificate.subject", "CN=crm.example.com"));
        try (HookrailProcess hookrail = new HookrailProcess(Files.createTempDirectory("hookrail-profile-"), properties)) {
            assertThrows(IllegalStateException.class, hookrail::start);
            String output = hookrail.output();
            for (String problem : new String[] {
                    "camel.server.host is 0.0.0.0: plain HTTP on a non-loopback address (serve it over TLS:"
                            + " camel.ssl.enabled=true, camel.ssl.keyStore and"
                            + " camel.server.useGlobalSslContextParameters=true; or listen on loopback)",
                    "hookrail.source.shop.clientCertificate.required is true but nothing is pinned: set"
                            + " hookrail.source.shop.clientCertificate.subject or"
                            + " hookrail.source.shop.clientCertificate.spkiSha256",
                    "hookrail.source.crm.clientCertificate pins a certificate but"
                            + " hookrail.source.crm.clientCertificate.required is not true: the pin would not be checked",
                    "hookrail.source.crm.clientCertificate is configured but the business listener does not ask for"
                            + " client certificates: set camel.ssl.clientAuthentication=WANT with TLS on camel.server"}) {
                assertTrue(output.contains(problem), problem + " not named in: " + output);
            }
        }
    }
}

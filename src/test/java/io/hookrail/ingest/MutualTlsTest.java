package io.hookrail.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.TestPki;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.hookrail.support.GoldenEvents.CRM_SECRET;
import static io.hookrail.support.GoldenEvents.SHOP_SECRET;
import static io.hookrail.support.GoldenEvents.SUPPORT_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS and mutual TLS on the real business listener, with a test authority made at run time: the listener serves its
 * CA-signed certificate and asks for client certificates (WANT); shop pins its sender's public key, crm its sender's
 * subject, support pins nothing. Every refusal is a real handshake or a 401 before the HMAC.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MutualTlsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CRM_SUBJECT = "CN=crm-sender,O=Hookrail Tests";

    private final TestPki authority = TestPki.authority("Hookrail Test CA");
    private final TestPki stranger = TestPki.authority("Another CA");
    private final TestPki.Issued shopClient = authority.client("CN=shop-sender,O=Hookrail Tests");
    private final TestPki.Issued crmClient = authority.client(CRM_SUBJECT);
    private HookrailInstance hookrail;

    @BeforeAll
    void startHookrail() throws IOException {
        Path dir = Files.createTempDirectory("hookrail-tls-");
        Path keyStore = authority.server().write(dir.resolve("listener.p12"));
        Path trustStore = authority.writeTrustStore(dir.resolve("client-cas.p12"));
        hookrail = HookrailInstance.builder()
                .property("camel.ssl.enabled", "true")
                .property("camel.ssl.keyStore", "file:" + keyStore)
                .property("camel.ssl.keystorePassword", TestPki.PASSWORD)
                .property("camel.ssl.trustStore", "file:" + trustStore)
                .property("camel.ssl.trustStorePassword", TestPki.PASSWORD)
                .property("camel.ssl.clientAuthentication", "WANT")
                .property("camel.server.useGlobalSslContextParameters", "true")
                .property("camel.management.useGlobalSslContextParameters", "true")
                .property("hookrail.source.shop.clientCertificate.required", "true")
                .property("hookrail.source.shop.clientCertificate.spkiSha256", shopClient.spkiSha256())
                .property("hookrail.source.crm.clientCertificate.required", "true")
                .property("hookrail.source.crm.clientCertificate.subject", "cn=crm-sender,  o=hookrail tests")
                // one token, refilled after 1000 s: the only delivery that may take it is the accepted one
                .property("hookrail.source.shop.rateLimit.perSecond", "0.001")
                .property("hookrail.source.shop.rateLimit.burst", "1")
                .start();
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
    }

    @Test
    void bothListenersServeHttpsWithTheAuthoritysCertificateAndTheBusinessOneNoPlainHttp() throws Exception {
        assertTrue(hookrail.baseUrl().startsWith("https://"), hookrail.baseUrl());
        HttpClient tls = HttpClient.newBuilder().sslContext(authority.clientContext(null)).build();
        HttpResponse<String> dlq = tls.send(HttpRequest.newBuilder(URI.create(hookrail.baseUrl() + "/api/dlq"))
                .header("Authorization", "Bearer demo-viewer-token").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, dlq.statusCode(), "the admin API answers over TLS without a client certificate: " + dlq.body());

        HttpResponse<String> health = tls.send(HttpRequest.newBuilder(URI.create(
                hookrail.managementUrl().replace("http://", "https://") + "/observe/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), "the management listener is behind the same TLS: " + health.body());

        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + hookrail.httpPort() + "/api/dlq"))
                .header("Authorization", "Bearer demo-viewer-token").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void aSourceThatPinsNothingTakesDeliveriesWithoutAClientCertificate() {
        HttpResponse<String> response = sender(null).standardWebhooks("support", SUPPORT_SECRET, id(),
                GoldenEvents.named("support-refund-small.json").body());
        assertEquals(202, response.statusCode(), response.body());
    }

    @Test
    void aDeliveryWithoutAClientCertificateIsRefusedBeforeItsSignature() throws Exception {
        HttpResponse<String> response = sender(null).standardWebhooks("shop", SHOP_SECRET, id(), order());
        assertRejected(response, "Source 'shop' requires its pinned TLS client certificate: no client certificate"
                + " was presented");
    }

    @Test
    void aCertificateOfAnotherAuthorityFailsTheHandshake() {
        TestPki.Issued foreign = stranger.client("CN=shop-sender,O=Hookrail Tests");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> sender(foreign).standardWebhooks("shop", SHOP_SECRET, id(), order()));
        assertInstanceOf(javax.net.ssl.SSLException.class, refused.getCause(), String.valueOf(refused.getCause()));
    }

    @Test
    void aCertificateWithAnotherKeyOrSubjectIsRefused() throws Exception {
        assertRejected(sender(crmClient).standardWebhooks("shop", SHOP_SECRET, id(), order()),
                "Source 'shop' requires its pinned TLS client certificate: the client certificate's public key is not"
                        + " a pinned one");
        assertRejected(sender(shopClient).standardWebhooks("crm", CRM_SECRET, id(),
                        GoldenEvents.named("crm-lead-qualified.json").body()),
                "Source 'crm' requires its pinned TLS client certificate: the client certificate's subject is not the"
                        + " pinned one");
        HttpResponse<String> crm = sender(crmClient).standardWebhooks("crm", CRM_SECRET, id(),
                GoldenEvents.named("crm-lead-qualified.json").body());
        assertEquals(202, crm.statusCode(), "the subject pin matches its DN written another way: " + crm.body());
    }

    @Test
    void thePinnedCertificateStillNeedsAValidSignature() throws Exception {
        HttpResponse<String> response = sender(shopClient).standardWebhooks("shop",
                "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]), id(), order());
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("urn:hookrail:problem:invalid-signature", JSON.readTree(response.body()).get("type").asText());
    }

    @Test
    void refusedCertificatesTakeNoTokenAndThePinnedOneWithAValidSignatureIsAccepted() {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, sender(null).standardWebhooks("shop", SHOP_SECRET, id(), order()).statusCode());
            assertEquals(401, sender(crmClient).standardWebhooks("shop", SHOP_SECRET, id(), order()).statusCode());
        }
        HttpResponse<String> accepted = sender(shopClient).standardWebhooks("shop", SHOP_SECRET, id(), order());
        assertEquals(202, accepted.statusCode(), "six refusals left the one token: " + accepted.body());
        HttpResponse<String> next = sender(shopClient).standardWebhooks("shop", SHOP_SECRET, id(), order());
        assertEquals(429, next.statusCode(), "the accepted delivery took the one token: " + next.body());
    }

    private void assertRejected(HttpResponse<String> response, String detail) throws IOException {
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = JSON.readTree(response.body());
        assertEquals("urn:hookrail:problem:client-certificate-rejected", problem.get("type").asText());
        assertEquals(detail, problem.get("detail").asText());
    }

    private WebhookSender sender(TestPki.Issued client) {
        return new WebhookSender(hookrail.baseUrl(), authority.clientContext(client));
    }

    private static byte[] order() {
        return GoldenEvents.named("shop-order-placed-small.json").body();
    }

    private static String id() {
        return "msg_" + UUID.randomUUID();
    }
}

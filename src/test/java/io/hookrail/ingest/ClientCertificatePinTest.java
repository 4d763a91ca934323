package io.hookrail.ingest;

import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.Map;

import io.hookrail.support.TestPki;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Parsing and matching of a source's client certificate pins, without a listener. */
class ClientCertificatePinTest {

    private final TestPki authority = TestPki.authority("Pin Test CA");
    private final TestPki.Issued current = authority.client("CN=shop-sender,O=Example Shop");
    private final TestPki.Issued next = authority.client("CN=shop-sender,O=Example Shop");

    @Test
    void aKeyPinIsBase64OrHexAndAListAcceptsEitherKeyDuringARotation() {
        String hex = HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(next.spkiSha256()));
        ClientCertificatePin pin = ClientCertificatePin.of("p", null, current.spkiSha256() + " , " + hex.toUpperCase());
        assertNull(pin.mismatch(chain(current)));
        assertNull(pin.mismatch(chain(next)));
        assertEquals("the client certificate's public key is not a pinned one",
                pin.mismatch(chain(authority.client("CN=shop-sender,O=Example Shop"))));
    }

    @Test
    void aSubjectPinComparesCanonicallyAndBothKindsMustMatch() {
        ClientCertificatePin pin = ClientCertificatePin.of("p", "cn=Shop-Sender , o=example shop", current.spkiSha256());
        assertNull(pin.mismatch(chain(current)));
        assertEquals("the client certificate's public key is not a pinned one", pin.mismatch(chain(next)));
        assertEquals("the client certificate's subject is not the pinned one",
                ClientCertificatePin.of("p", "CN=other,O=Example Shop", null).mismatch(chain(current)));
        assertEquals("no client certificate was presented", pin.mismatch(null));
    }

    @Test
    void aMalformedPinStopsStartupNamingItsKey() {
        IllegalArgumentException notDigest = assertThrows(IllegalArgumentException.class,
                () -> ClientCertificatePin.of("hookrail.source.shop.clientCertificate", null, "abc"));
        assertEquals("hookrail.source.shop.clientCertificate.spkiSha256 has 'abc', which is not a SHA-256 digest"
                + " (base64, 44 characters, or hex, 64)", notDigest.getMessage());
        IllegalArgumentException notDn = assertThrows(IllegalArgumentException.class,
                () -> ClientCertificates.fromProperties(Map.of("hookrail.source.shop.clientCertificate.subject",
                        "not a DN")::get, java.util.List.of("shop")));
        assertEquals("hookrail.source.shop.clientCertificate.subject is not an RFC 2253 distinguished name: not a DN",
                notDn.getMessage());
    }

    private static Certificate[] chain(TestPki.Issued issued) {
        return new Certificate[] {issued.certificate(), issued.issuer()};
    }
}

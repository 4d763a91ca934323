package io.hookrail.ingest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.security.auth.x500.X500Principal;

/**
 * What one source's client certificate must be, checked before its HMAC: present (the listener's trust store has
 * already verified its chain), with the pinned subject DN (compared in RFC 2253 canonical form) and/or one of the
 * pinned SHA-256 hashes of its SubjectPublicKeyInfo. Each configured kind of pin must match; within the SPKI list,
 * any one (two during a key rotation).
 *
 * @param subject the canonical subject DN, or null for no subject pin
 * @param spkiSha256 the SHA-256 digests of accepted public keys; empty for no key pin
 */
record ClientCertificatePin(String subject, List<byte[]> spkiSha256) {

    ClientCertificatePin {
        spkiSha256 = List.copyOf(spkiSha256);
    }

    /**
     * Parses the configured pins.
     *
     * @param subject an RFC 2253 DN, or null or blank for none
     * @param spkiSha256 comma-separated SHA-256 digests, each base64 (44 characters) or hex (64); null or blank for none
     */
    static ClientCertificatePin of(String key, String subject, String spkiSha256) {
        String canonical = null;
        if (subject != null && !subject.isBlank()) {
            try {
                canonical = new X500Principal(subject.trim()).getName(X500Principal.CANONICAL);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ".subject is not an RFC 2253 distinguished name: " + subject, e);
            }
        }
        List<byte[]> digests = spkiSha256 == null ? List.of() : java.util.Arrays.stream(spkiSha256.split(","))
                .map(String::trim).filter(pin -> !pin.isEmpty()).map(pin -> digest(key, pin)).toList();
        return new ClientCertificatePin(canonical, digests);
    }

    boolean pinsSomething() {
        return subject != null || !spkiSha256.isEmpty();
    }

    /**
     * Why the peer's certificate chain does not satisfy the pin, or null when it does.
     *
     * @param chain the TLS peer's certificates, leaf first; null or empty when it sent none
     */
    String mismatch(Certificate[] chain) {
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return "no client certificate was presented";
        }
        if (subject != null && !subject.equals(leaf.getSubjectX500Principal().getName(X500Principal.CANONICAL))) {
            return "the client certificate's subject is not the pinned one";
        }
        if (!spkiSha256.isEmpty()) {
            byte[] actual = sha256(leaf.getPublicKey().getEncoded());
            if (spkiSha256.stream().noneMatch(pin -> MessageDigest.isEqual(pin, actual))) {
                return "the client certificate's public key is not a pinned one";
            }
        }
        return null;
    }

    private static byte[] digest(String key, String pin) {
        byte[] digest;
        try {
            digest = pin.length() == 64 ? HexFormat.of().parseHex(pin.toLowerCase(Locale.ROOT))
                    : Base64.getDecoder().decode(pin);
        } catch (IllegalArgumentException e) {
            digest = new byte[0];
        }
        if (digest.length != 32) {
            throw new IllegalArgumentException(key + ".spkiSha256 has '" + pin + "', which is not a SHA-256 digest"
                    + " (base64, 44 characters, or hex, 64)");
        }
        return digest;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.hookrail.support;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for TLS tests: made at run time (EC P-256), issuing a listener certificate for
 * 127.0.0.1 and client certificates, written as PKCS12 files into a temporary directory. No key material is kept.
 */
public final class TestPki {

    /** The password of every key and trust store written here. */
    public static final String PASSWORD = "test-store-password";
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final String name;
    private final KeyPair keys;
    private final X509Certificate certificate;

    /** A key pair and the certificate this authority issued for it. */
    public record Issued(KeyPair keys, X509Certificate certificate, X509Certificate issuer) {

        /** The base64 SHA-256 of the certificate's SubjectPublicKeyInfo, as a source pins it. */
        public String spkiSha256() {
            try {
                return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest(certificate.getPublicKey().getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A PKCS12 key store with the key and its chain. */
        public KeyStore keyStore() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("key", keys.getPrivate(), PASSWORD.toCharArray(),
                        new Certificate[] {certificate, issuer});
                return store;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        public Path write(Path file) {
            return TestPki.write(keyStore(), file);
        }
    }

    private TestPki(String name) throws GeneralSecurityException {
        this.name = name;
        this.keys = keyPair();
        X500Name subject = rfc2253("CN=" + name + ",O=Hookrail Tests");
        this.certificate = sign(new JcaX509v3CertificateBuilder(subject, serial(), notBefore(), notAfter(), subject,
                keys.getPublic()), true, null);
    }

    public static TestPki authority(String name) {
        try {
            return new TestPki(name);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A listener certificate for 127.0.0.1 and localhost. */
    public Issued server() {
        return issue("CN=127.0.0.1,O=Hookrail Tests", true);
    }

    /** A client certificate with this subject DN. */
    public Issued client(String subjectDn) {
        return issue(subjectDn, false);
    }

    /** A PKCS12 trust store holding this authority's certificate. */
    public Path writeTrustStore(Path file) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry(name, certificate);
            return write(store, file);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client's TLS context trusting this authority, presenting {@code client}'s certificate (or none when null). */
    public SSLContext clientContext(Issued client) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(name, certificate);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            if (client == null) {
                keyManagers.init(null, null);
            } else {
                keyManagers.init(client.keyStore(), PASSWORD.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            javax.net.ssl.KeyManager[] offered = client == null ? keyManagers.getKeyManagers()
                    : new javax.net.ssl.KeyManager[] {new InsistingKeyManager(
                            (javax.net.ssl.X509ExtendedKeyManager) keyManagers.getKeyManagers()[0])};
            context.init(offered, trustManagers.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Offers the client certificate even when the server names other authorities (the JDK's key manager would then
     * send none), as a client with a certificate of a foreign authority does.
     */
    private static final class InsistingKeyManager extends javax.net.ssl.X509ExtendedKeyManager {
        private final javax.net.ssl.X509ExtendedKeyManager keys;

        InsistingKeyManager(javax.net.ssl.X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers,
                                              javax.net.ssl.SSLEngine engine) {
            return keys.getClientAliases("EC", null)[0];
        }

        @Override
        public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return keys.getClientAliases("EC", null)[0];
        }

        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return keys.getClientAliases(keyType, null);
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return keys.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return keys.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public java.security.PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    private Issued issue(String subjectDn, boolean server) {
        try {
            KeyPair leaf = keyPair();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(), notBefore(),
                    notAfter(), rfc2253(subjectDn), leaf.getPublic());
            return new Issued(leaf, sign(builder, false, server), certificate);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private X509Certificate sign(X509v3CertificateBuilder builder, boolean authority, Boolean server)
            throws GeneralSecurityException {
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (authority) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
                if (server) {
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.dNSName, "localhost")}));
                }
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (GeneralSecurityException e) {
            throw e;
        } catch (Exception e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** The DN as RFC 2253 reads it (most significant RDN last), unlike BouncyCastle's own string order. */
    private static X500Name rfc2253(String dn) {
        return X500Name.getInstance(new javax.security.auth.x500.X500Principal(dn).getEncoded());
    }

    private static Path write(KeyStore store, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
            return file;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(2)));
    }
}

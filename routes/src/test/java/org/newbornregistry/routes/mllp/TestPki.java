package org.newbornregistry.routes.mllp;

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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.UnaryOperator;

/**
 * A certificate authority made up for one test run: it issues the MLLP listener's certificate and
 * clients' certificates (EC P-256, valid from an hour ago for a day), writes them as PKCS12 files
 * for the application to read, and builds the clients' TLS contexts.
 */
final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Issued ca;
    private final Path directory;
    private final String password;

    private TestPki(Issued ca, Path directory, String password) {
        this.ca = ca;
        this.directory = directory;
        this.password = password;
    }

    /** A certificate with its private key and its chain up to (and including) the CA's. */
    record Issued(KeyPair keys, X509Certificate certificate, X509Certificate... chain) {
    }

    /** A new CA whose files go under {@code directory}. */
    static TestPki create(Path directory, String name) {
        try {
            Files.createDirectories(directory);
            KeyPair keys = keyPair();
            X500Name subject = name("CN=" + name + ",O=Newborn Registry Tests");
            X509v3CertificateBuilder builder = builder(subject, subject, keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate certificate = sign(builder, keys);
            return new TestPki(new Issued(keys, certificate, certificate), directory,
                    "pw-" + new BigInteger(64, RANDOM).toString(36));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The password of every store this CA writes. */
    String password() {
        return password;
    }

    /** The CA's own certificate. */
    X509Certificate certificate() {
        return ca.certificate();
    }

    /** A server certificate for localhost and 127.0.0.1. */
    Issued server(String subject) {
        return issue(subject, KeyPurposeId.id_kp_serverAuth,
                new GeneralNames(new GeneralName[]{new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    }

    /** A client certificate. */
    Issued client(String subject) {
        return issue(subject, KeyPurposeId.id_kp_clientAuth, null);
    }

    /** Writes a key store with the certificate's key and chain; returns its path. */
    Path keyStore(String file, Issued issued) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", issued.keys().getPrivate(), password.toCharArray(), issued.chain());
            return write(file, store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a trust store holding this CA's certificate; returns its path. */
    Path trustStore(String file) {
        try {
            return write(file, trusting(ca.certificate()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A client's TLS context: it presents {@code client} (none if null) and trusts {@code serverCa}.
     */
    static SSLContext clientContext(Issued client, X509Certificate serverCa) {
        return clientContext(client, serverCa, "TLS");
    }

    /**
     * As {@link #clientContext(Issued, X509Certificate)}, but presenting the client's certificate whatever
     * authorities the server names, as clients built on OpenSSL do; the JDK's own client presents none
     * when its issuer is not among them.
     */
    static SSLContext clientContextIgnoringAuthorityHints(Issued client, X509Certificate serverCa) {
        return clientContext(client, serverCa, "TLS", managers -> new KeyManager[] {anyIssuer((X509ExtendedKeyManager) managers[0])});
    }

    /** As {@link #clientContext(Issued, X509Certificate)}, offering only {@code protocol} and those before it ("TLSv1.2"). */
    static SSLContext clientContext(Issued client, X509Certificate serverCa, String protocol) {
        return clientContext(client, serverCa, protocol, UnaryOperator.identity());
    }

    private static SSLContext clientContext(Issued client, X509Certificate serverCa, String protocol,
                                            UnaryOperator<KeyManager[]> keyManagersUsed) {
        try {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            if (client != null) {
                keys.setKeyEntry("key", client.keys().getPrivate(), new char[0], client.chain());
            }
            keyManagers.init(keys, new char[0]);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusting(serverCa));
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(keyManagersUsed.apply(keyManagers.getKeyManagers()), trustManagers.getTrustManagers(), RANDOM);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code chosen}, choosing the client's key without regard to the issuers the server asks for. */
    private static X509ExtendedKeyManager anyIssuer(X509ExtendedKeyManager chosen) {
        return new X509ExtendedKeyManager() {
            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return chosen.chooseClientAlias(keyType, null, socket);
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return chosen.getClientAliases(keyType, null);
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return chosen.getServerAliases(keyType, issuers);
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return chosen.chooseServerAlias(keyType, issuers, socket);
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return chosen.getCertificateChain(alias);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return chosen.getPrivateKey(alias);
            }
        };
    }

    private Issued issue(String subject, KeyPurposeId purpose, GeneralNames alternativeNames) {
        try {
            KeyPair keys = keyPair();
            X509v3CertificateBuilder builder = builder(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                    name(subject), keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
            if (alternativeNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
            }
            X509Certificate certificate = sign(builder, ca.keys());
            return new Issued(keys, certificate, certificate, ca.certificate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys)
            throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic())
                .addExtension(Extension.subjectKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    /** A name as Java reads an RFC 2253 string (most specific first), so that certificates print as configured. */
    private static X500Name name(String rfc2253) {
        return X500Name.getInstance(new X500Principal(rfc2253).getEncoded());
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static KeyStore trusting(X509Certificate certificate) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", certificate);
        return store;
    }

    private Path write(String file, KeyStore store) throws IOException, GeneralSecurityException {
        Path path = directory.resolve(file);
        try (OutputStream out = Files.newOutputStream(path)) {
            store.store(out, password.toCharArray());
        }
        return path;
    }
}

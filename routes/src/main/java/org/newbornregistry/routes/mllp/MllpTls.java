package org.newbornregistry.routes.mllp;

import org.apache.camel.support.jsse.ClientAuthentication;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SSLContextServerParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.newbornregistry.routes.config.MllpProperties;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Collections;

/**
 * camel-mllp's SSL parameters for the listener from {@code nbr.mllp.tls}: the listener's key from
 * the key store, the client certificates' CA from the trust store, and client authentication
 * required; a client the trust store does not vouch for is reported to an
 * {@link TlsRefusals} before its handshake fails. Both stores are read here, at startup, so that a wrong path, type or password stops
 * the application with the property's name instead of failing in camel-mllp's bind thread.
 * Messages name properties and files, never passwords.
 */
public final class MllpTls {

    private MllpTls() {
    }

    /**
     * The parameters of a listener that takes only TLS connections with a client certificate the
     * trust store vouches for (TLS 1.2 and 1.3, Camel's default filters).
     *
     * @throws IllegalStateException if a store is not configured, cannot be read, or holds no key (key store) or no certificate (trust store)
     */
    public static SSLContextParameters serverParameters(MllpProperties.Tls tls, TlsRefusals refusals) {
        KeyStore keys = load("nbr.mllp.tls.key-store", tls.keyStore());
        if (!hasEntry(keys, true)) {
            throw new IllegalStateException("nbr.mllp.tls.key-store holds no private key with its certificate");
        }
        KeyStore trusted = load("nbr.mllp.tls.trust-store", tls.trustStore());
        if (!hasEntry(trusted, false)) {
            throw new IllegalStateException("nbr.mllp.tls.trust-store holds no trusted certificate");
        }

        KeyStoreParameters keyStore = new KeyStoreParameters();
        keyStore.setKeyStore(keys);
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(keyStore);
        keyManagers.setKeyPassword(tls.keyStore().password());

        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setTrustManager(new AuditingTrustManager(trustManager(trusted), refusals));

        SSLContextServerParameters server = new SSLContextServerParameters();
        server.setClientAuthentication(ClientAuthentication.REQUIRE.name());

        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keyManagers);
        parameters.setTrustManagers(trustManagers);
        parameters.setServerParameters(server);
        return parameters;
    }

    /** The JDK's PKIX trust manager over the trust store, as Camel would build it from the store itself. */
    private static X509ExtendedTrustManager trustManager(KeyStore trusted) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return Arrays.stream(factory.getTrustManagers()).filter(X509ExtendedTrustManager.class::isInstance)
                    .map(X509ExtendedTrustManager.class::cast).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the JDK offers no X.509 trust manager"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("nbr.mllp.tls.trust-store cannot initialise a trust manager", e);
        }
    }

    private static KeyStore load(String property, MllpProperties.Store store) {
        if (store.path() == null || store.path().isBlank()) {
            throw new IllegalStateException(property + ".path is required when nbr.mllp.tls.enabled is true");
        }
        if (store.password() == null) {
            throw new IllegalStateException(property + ".password is required when nbr.mllp.tls.enabled is true");
        }
        Path path = Path.of(store.path().strip());
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore keyStore = KeyStore.getInstance(store.type());
            keyStore.load(in, store.password().toCharArray());
            return keyStore;
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(property + ".path: no file " + path.toAbsolutePath(), e);
        } catch (IOException | GeneralSecurityException e) {
            // Why: a wrong password surfaces as an IOException whose message says so, and names no secret.
            throw new IllegalStateException(property + ": cannot read " + path.toAbsolutePath() + " as " + store.type()
                    + " (" + e.getMessage() + ")", e);
        }
    }

    private static boolean hasEntry(KeyStore store, boolean key) {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (key ? store.isKeyEntry(alias) : store.getCertificate(alias) != null) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key store cannot be listed", e);
        }
    }
}

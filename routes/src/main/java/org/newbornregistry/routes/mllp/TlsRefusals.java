package org.newbornregistry.routes.mllp;

import java.security.cert.X509Certificate;

/**
 * Told of each TLS client the MLLP listener turns away in the handshake. camel-mllp ends such a
 * connection without telling anyone; the registry must record each attempt.
 */
public interface TlsRefusals {

    /** Tells nobody: for listeners whose refusals are not recorded (tests of the TLS set-up). */
    TlsRefusals NONE = new TlsRefusals() {
        @Override
        public void untrustedCertificate(X509Certificate certificate, String address) {
        }

        @Override
        public void handshakeFailed(String address, String reason) {
        }
    };

    /**
     * The client presented a certificate no trusted authority issued.
     *
     * @param certificate the client's own certificate (the chain's first)
     * @param address     the IP address the client connected from, or null if unknown
     */
    void untrustedCertificate(X509Certificate certificate, String address);

    /**
     * The handshake failed before any certificate was judged: the client presented none, spoke
     * plain text, or offered nothing the listener accepts.
     *
     * @param reason the TLS stack's reason (its exception message: protocol terms, no data)
     */
    void handshakeFailed(String address, String reason);
}

package org.newbornregistry.routes.mllp;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The listener's trust manager with one addition: a client certificate it refuses is reported
 * ({@link TlsRefusals#untrustedCertificate}) before the handshake fails. Decisions are the JDK's, unchanged.
 */
final class AuditingTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager trust;
    private final TlsRefusals refusals;

    AuditingTrustManager(X509ExtendedTrustManager trust, TlsRefusals refusals) {
        this.trust = trust;
        this.refusals = refusals;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            trust.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            refusals.untrustedCertificate(chain[0], socket == null ? null : address(socket.getRemoteSocketAddress()));
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        try {
            trust.checkClientTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            refusals.untrustedCertificate(chain[0], engine == null ? null : engine.getPeerHost());
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            trust.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            refusals.untrustedCertificate(chain[0], null);
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        trust.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        trust.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trust.getAcceptedIssuers();
    }

    private static String address(java.net.SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress().getHostAddress() : null;
    }
}

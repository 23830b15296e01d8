package org.newbornregistry.routes.mllp;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;
import org.apache.camel.spi.Metadata;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * camel-mllp with its consumer fixed to process pipelined frames (see
 * {@link PipeliningMllpSocketBuffer}), handing on the client certificate of a TLS connection
 * ({@link #CLIENT_CERTIFICATE}), and telling {@link TlsRefusals} of each client whose TLS handshake
 * fails (camel-mllp drops such a connection silently); otherwise camel-mllp as it is. Registered as the {@code mllp}
 * component, so routes keep using {@code mllp:} URIs. The pipelining fix goes once the project can
 * move to a Camel release with CAMEL-24668; the certificate header stays until camel-mllp passes on
 * the certificate itself (4.17 copies only its subject, issuer, serial number and validity).
 */
public class PipeliningMllpComponent extends MllpComponent {

    /** The client certificate (the first of the peer's chain) of the TLS connection that delivered the message. */
    @Metadata(description = "The client certificate of the TLS connection that delivered the message: the first"
            + " certificate of the chain the peer presented, verified by the handshake. Absent on plain TCP.",
            javaType = "java.security.cert.X509Certificate")
    public static final String CLIENT_CERTIFICATE = "NbrMllpClientCertificate";

    private TlsRefusals tlsRefusals = TlsRefusals.NONE;

    /** Who is told of TLS handshakes that fail; by default nobody. */
    public void setTlsRefusals(TlsRefusals tlsRefusals) {
        this.tlsRefusals = tlsRefusals;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MllpEndpoint configured = (MllpEndpoint) super.createEndpoint(uri, remaining, parameters);
        PipeliningEndpoint endpoint = new PipeliningEndpoint(uri, this, configured.getConfiguration());
        endpoint.setHostname(configured.getHostname());
        endpoint.setPort(configured.getPort());
        endpoint.setCharsetName(configured.getCharsetName());
        return endpoint;
    }

    /** The endpoint whose consumer uses the pipelining buffer. */
    static final class PipeliningEndpoint extends MllpEndpoint {
        PipeliningEndpoint(String uri, MllpComponent component, MllpConfiguration configuration) {
            super(uri, component, configuration);
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            Consumer consumer = new PipeliningConsumer(this, processor);
            configureConsumer(consumer);
            return consumer;
        }
    }

    /** Hands every accepted connection a pipelining buffer holding what was read so far. */
    static final class PipeliningConsumer extends MllpTcpServerConsumer {

        private final TlsRefusals refusals;
        private volatile ServerSocket listening;
        private final ExecutorService handshakes = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "mllp-tls-handshake");
            thread.setDaemon(true);
            return thread;
        });

        PipeliningConsumer(MllpEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
            this.refusals = ((PipeliningMllpComponent) endpoint.getComponent()).tlsRefusals;
        }

        /**
         * Completes a TLS connection's handshake before camel-mllp's validation reads from it, so that
         * a failure is reported instead of swallowed by that read. Off the accept thread, as camel-mllp's
         * validation is: a slow client holds only its own thread. A certificate no authority vouches for
         * was reported by the trust manager already, with the certificate.
         */
        @Override
        public void validateConsumer(Socket socket) {
            if (!(socket instanceof SSLSocket tls)) {
                super.validateConsumer(socket);
                return;
            }
            handshakes.execute(() -> {
                try {
                    tls.setSoTimeout(getEndpoint().getConfiguration().getReceiveTimeout());
                    tls.startHandshake();
                } catch (IOException e) {
                    if (!refusedForItsCertificate(e)) {
                        InetAddress address = tls.getInetAddress();
                        refusals.handshakeFailed(address == null ? null : address.getHostAddress(), e.getMessage());
                    }
                    closeQuietly(tls);
                    return;
                }
                super.validateConsumer(socket);
            });
        }

        @Override
        protected void doStop() throws Exception {
            handshakes.shutdownNow();
            super.doStop();
        }

        private static boolean refusedForItsCertificate(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof CertificateException) {
                    return true;
                }
            }
            return false;
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                // Why: the connection is being dropped for its failed handshake; nothing more to do with it.
            }
        }

        /** Keeps the server socket camel-mllp's bind thread hands over once it is bound, for {@link #isListening()}. */
        @Override
        public void startAcceptThread(ServerSocket serverSocket) {
            listening = serverSocket;
            super.startAcceptThread(serverSocket);
        }

        /**
         * Whether the listener's port is bound and its server socket open, so that connections are accepted. Why
         * here: camel-mllp binds on a thread of its own (retrying for {@code bindTimeout}), so a started consumer
         * may not be listening yet, or at all.
         */
        boolean isListening() {
            ServerSocket socket = listening;
            return isStarted() && socket != null && socket.isBound() && !socket.isClosed();
        }

        /** How many client connections are open. */
        int connections() {
            return getConsumerRunnables().size();
        }

        @Override
        public void startConsumer(Socket clientSocket, MllpSocketBuffer mllpBuffer) {
            PipeliningMllpSocketBuffer pipelining = new PipeliningMllpSocketBuffer(getEndpoint());
            if (mllpBuffer != null && !mllpBuffer.isEmpty()) {
                pipelining.write(mllpBuffer.toByteArray());
            }
            super.startConsumer(clientSocket, pipelining);
        }

        /** Sets camel-mllp's certificate headers and the certificate itself. */
        @Override
        protected void enrichWithClientCertInformation(SSLSession sslSession, Message message) {
            super.enrichWithClientCertInformation(sslSession, message);
            if (sslSession == null || message == null) {
                return;
            }
            try {
                Certificate[] chain = sslSession.getPeerCertificates();
                if (chain.length > 0 && chain[0] instanceof X509Certificate certificate) {
                    message.setHeader(CLIENT_CERTIFICATE, certificate);
                }
            } catch (SSLPeerUnverifiedException e) {
                // Why: no certificate was presented; the header stays absent and the sender check refuses.
            }
        }
    }
}

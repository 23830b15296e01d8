package org.newbornregistry.routes.mllp;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.apache.camel.component.mllp.MllpSocketException;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;
import org.apache.camel.component.mllp.internal.TcpServerConsumerValidationRunnable;
import org.apache.camel.component.mllp.internal.TcpSocketConsumerRunnable;
import org.apache.camel.spi.Metadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * camel-mllp with its consumer fixed to process pipelined frames (see
 * {@link PipeliningMllpSocketBuffer}), handing on the client certificate of a TLS connection
 * ({@link #CLIENT_CERTIFICATE}), telling {@link TlsRefusals} of each client whose TLS handshake
 * fails (camel-mllp drops such a connection silently), and holding senders to {@link MllpLimits}:
 * connections per address, a deadline for a started message, and a frame size whose excess is
 * answered by {@link OversizeFrames} without being read; otherwise camel-mllp as it is. Registered as the {@code mllp}
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
    private MllpLimits limits = MllpLimits.NONE;
    private OversizeFrames oversizeFrames;
    private RefusedConnections refusedConnections = RefusedConnections.NONE;

    /** Who is told of TLS handshakes that fail; by default nobody. */
    public void setTlsRefusals(TlsRefusals tlsRefusals) {
        this.tlsRefusals = tlsRefusals;
    }

    /** What one sender may take of the listener; by default camel-mllp's own limits only. */
    public void setLimits(MllpLimits limits) {
        this.limits = limits;
    }

    /** Who answers frames over the size limit; required when {@link #setLimits} sets one. */
    public void setOversizeFrames(OversizeFrames oversizeFrames) {
        this.oversizeFrames = oversizeFrames;
    }

    /** Who is told of connections refused for the limits; by default nobody. */
    public void setRefusedConnections(RefusedConnections refusedConnections) {
        this.refusedConnections = refusedConnections;
    }

    /** Told of each connection closed at once because its address or the listener had no connection left. */
    @FunctionalInterface
    public interface RefusedConnections {
        RefusedConnections NONE = (address, reason) -> { };

        /** @param reason {@code per-address} or {@code total} */
        void refused(String address, String reason);
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

        private static final Logger LOG = LoggerFactory.getLogger(PipeliningConsumer.class);

        private final TlsRefusals refusals;
        private final MllpLimits limits;
        private final OversizeFrames oversizeFrames;
        private final RefusedConnections refusedConnections;
        private volatile ServerSocket listening;
        private final ExecutorService validations = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "mllp-validation");
            thread.setDaemon(true);
            return thread;
        });

        PipeliningConsumer(MllpEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
            PipeliningMllpComponent component = (PipeliningMllpComponent) endpoint.getComponent();
            this.refusals = component.tlsRefusals;
            this.limits = component.limits;
            this.oversizeFrames = component.oversizeFrames;
            this.refusedConnections = component.refusedConnections;
        }

        /**
         * Reads a new connection's first frame, as camel-mllp's validation does, but into the
         * pipelining buffer, so that the first frame is held to the limits too. A TLS connection's
         * handshake is completed first, so that a failure is reported instead of swallowed by that
         * read. Off the accept thread, as camel-mllp's validation is: a slow client holds only its own
         * thread. A certificate no authority vouches for was reported by the trust manager already,
         * with the certificate.
         */
        @Override
        public void validateConsumer(Socket socket) {
            if (!(socket instanceof SSLSocket tls)) {
                validations.execute(new TcpServerConsumerValidationRunnable(this, socket, newBuffer()));
                return;
            }
            validations.execute(() -> {
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
                new TcpServerConsumerValidationRunnable(this, socket, newBuffer()).run();
            });
        }

        private PipeliningMllpSocketBuffer newBuffer() {
            return new PipeliningMllpSocketBuffer(getEndpoint(), limits);
        }

        @Override
        protected void doStop() throws Exception {
            validations.shutdownNow();
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

        /**
         * Serves a validated connection, unless its address already holds its share of the listener
         * or the listener is full: then it is closed at once (camel-mllp would close it too once its
         * pool were full, but only after the idle connections of one sender had taken every slot).
         */
        @Override
        public synchronized void startConsumer(Socket clientSocket, MllpSocketBuffer mllpBuffer) {
            String address = clientSocket.getInetAddress() == null ? null : clientSocket.getInetAddress().getHostAddress();
            String refusal = admission(address);
            if (refusal != null) {
                LOG.warn("MLLP connection from {} refused: {}", address, refusal.equals("total")
                        ? "the listener serves " + limits.maxConnections() + " connections at most"
                        : "that address holds " + limits.maxConnectionsPerAddress() + " connections already");
                refusedConnections.refused(address, refusal);
                closeQuietly(clientSocket);
                return;
            }
            PipeliningMllpSocketBuffer pipelining;
            if (mllpBuffer instanceof PipeliningMllpSocketBuffer own) {
                pipelining = own;
            } else {
                pipelining = newBuffer();
                if (mllpBuffer != null && !mllpBuffer.isEmpty()) {
                    pipelining.write(mllpBuffer.toByteArray());
                }
            }
            super.startConsumer(clientSocket, pipelining);
            if (clientSocket.isClosed()) {
                // Why: camel-mllp counts a connection before its pool takes it, and does not uncount one the pool refused.
                getConsumerRunnables().keySet().removeIf(runnable -> runnable.getSocket() == clientSocket);
            }
        }

        /** Why a connection from this address may not be served ({@code total}, {@code per-address}), or null. */
        private String admission(String address) {
            Set<TcpSocketConsumerRunnable> open = getConsumerRunnables().keySet();
            if (open.size() >= limits.maxConnections()) {
                return "total";
            }
            long fromAddress = open.stream().map(TcpSocketConsumerRunnable::getSocket)
                    .filter(socket -> socket != null && socket.getInetAddress() != null
                            && socket.getInetAddress().getHostAddress().equals(address))
                    .count();
            return fromAddress >= limits.maxConnectionsPerAddress() ? "per-address" : null;
        }

        /**
         * A frame over the size limit is answered here, not by the route: its rest was never read, so
         * there is no message to process, only the first bytes to keep and an AR to send.
         */
        @Override
        public void processMessage(byte[] hl7MessageBytes, TcpSocketConsumerRunnable consumerRunnable) {
            long oversize = consumerRunnable.getMllpBuffer() instanceof PipeliningMllpSocketBuffer buffer ? buffer.takeOversize() : 0;
            if (oversize == 0 || oversizeFrames == null) {
                super.processMessage(hl7MessageBytes, consumerRunnable);
                return;
            }
            LOG.warn("MLLP frame of {} bytes from {} is over the limit of {}: answered without reading the rest", oversize,
                    consumerRunnable.getRemoteAddress(), limits.maxFrameBytes());
            byte[] ack = oversizeFrames.refuse(hl7MessageBytes, oversize,
                    consumerRunnable.getSocket().getInetAddress() == null ? null
                            : consumerRunnable.getSocket().getInetAddress().getHostAddress());
            MllpSocketBuffer out = consumerRunnable.getMllpBuffer();
            try {
                out.setEnvelopedMessage(ack);
                out.writeTo(consumerRunnable.getSocket());
            } catch (MllpSocketException e) {
                LOG.warn("The AR of an oversized frame could not be sent to {}", consumerRunnable.getRemoteAddress());
            } finally {
                out.reset();
            }
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

package org.newbornregistry.routes.mllp;

import org.newbornregistry.cli.MllpFrames;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** An MLLP sender for tests, over plain TCP or TLS: frames messages, writes them, reads framed ACKs. */
public final class MllpTestClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** A client over plain TCP. */
    public MllpTestClient(int port) throws IOException {
        this(new Socket("localhost", port));
    }

    private MllpTestClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /**
     * A client over TLS with the context's certificate (if any), checking that the server's
     * certificate names localhost. The handshake is completed before this returns; under TLS 1.3
     * the server's refusal of the client's certificate arrives only with the first read.
     */
    static MllpTestClient tls(int port, SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        try {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            MllpTestClient client = new MllpTestClient(socket);
            socket.startHandshake();
            return client;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** The TLS protocol the handshake agreed on, e.g. TLSv1.3. */
    String tlsProtocol() {
        return ((SSLSocket) socket).getSession().getProtocol();
    }

    /** Sends one message and returns its ACK. */
    public String send(byte[] message) throws IOException {
        write(message);
        return readAck();
    }

    /** Writes several frames in a single write call, as a pipelining sender does. */
    void writeAll(byte[]... messages) throws IOException {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (byte[] message : messages) {
            frames.write(MllpFrames.frame(message));
        }
        out.write(frames.toByteArray());
        out.flush();
    }

    void write(byte[] message) throws IOException {
        out.write(MllpFrames.frame(message));
        out.flush();
    }

    String readAck() throws IOException {
        return MllpFrames.read(in);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

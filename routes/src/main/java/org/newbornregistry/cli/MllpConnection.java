package org.newbornregistry.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** One MLLP connection of the command-line tools: frames a message, writes it, reads the framed ACK. */
public final class MllpConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /**
     * @param timeout how long to wait for the connection and then for each ACK
     */
    public MllpConnection(String host, int port, Duration timeout) throws IOException {
        socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = new BufferedOutputStream(socket.getOutputStream());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one message (segments separated by CR) and returns its ACK, segments separated by CR. */
    public String exchange(byte[] message) throws IOException {
        out.write(MllpFrames.frame(message));
        out.flush();
        return MllpFrames.read(in);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

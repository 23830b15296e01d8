package org.newbornregistry.routes.mllp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain-socket MLLP sender for tests: frames messages, writes them, reads framed ACKs. */
final class MllpTestClient implements AutoCloseable {

    private static final int START = 0x0b;
    private static final int END = 0x1c;
    private static final int CR = 0x0d;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    MllpTestClient(int port) throws IOException {
        socket = new Socket("localhost", port);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends one message and returns its ACK. */
    String send(byte[] message) throws IOException {
        write(message);
        return readAck();
    }

    /** Writes several frames in a single write call, as a pipelining sender does. */
    void writeAll(byte[]... messages) throws IOException {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (byte[] message : messages) {
            frames.write(frame(message));
        }
        out.write(frames.toByteArray());
        out.flush();
    }

    void write(byte[] message) throws IOException {
        out.write(frame(message));
        out.flush();
    }

    String readAck() throws IOException {
        int b = in.read();
        while (b != START) {
            if (b < 0) {
                throw new IOException("connection closed before an ACK");
            }
            b = in.read();
        }
        ByteArrayOutputStream ack = new ByteArrayOutputStream();
        while ((b = in.read()) != END) {
            if (b < 0) {
                throw new IOException("connection closed inside an ACK");
            }
            ack.write(b);
        }
        in.read(); // the CR after FS
        return ack.toString(StandardCharsets.UTF_8);
    }

    private static byte[] frame(byte[] message) {
        byte[] framed = new byte[message.length + 3];
        framed[0] = START;
        System.arraycopy(message, 0, framed, 1, message.length);
        framed[message.length + 1] = END;
        framed[message.length + 2] = CR;
        return framed;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

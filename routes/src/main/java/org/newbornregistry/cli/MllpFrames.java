package org.newbornregistry.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** MLLP's framing, for the senders of the command line and of the tests: {@code VT message FS CR}. */
public final class MllpFrames {

    private static final int START = 0x0b;
    private static final int END = 0x1c;
    private static final int CR = 0x0d;

    private MllpFrames() {
    }

    /** The message in its frame. */
    public static byte[] frame(byte[] message) {
        byte[] framed = new byte[message.length + 3];
        framed[0] = START;
        System.arraycopy(message, 0, framed, 1, message.length);
        framed[message.length + 1] = END;
        framed[message.length + 2] = CR;
        return framed;
    }

    /**
     * Reads the next frame (an ACK, segments separated by CR): skips to its start byte, reads to
     * its end byte, and takes the CR that closes it.
     *
     * @throws IOException if the connection closes before or inside the frame
     */
    public static String read(InputStream in) throws IOException {
        int b = in.read();
        while (b != START) {
            if (b < 0) {
                throw new IOException("the listener closed the connection without an ACK");
            }
            b = in.read();
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream(512);
        while ((b = in.read()) != END) {
            if (b < 0) {
                throw new IOException("the listener closed the connection inside the ACK");
            }
            frame.write(b);
        }
        in.read();
        return frame.toString(StandardCharsets.UTF_8);
    }
}

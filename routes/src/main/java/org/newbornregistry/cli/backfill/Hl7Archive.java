package org.newbornregistry.cli.backfill;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The HL7 v2 messages of one archive file, read as a stream (an archive may hold millions), in
 * either of the two shapes archives come in: MLLP-framed (each message between 0x0B and 0x1C 0x0D,
 * as captured off the wire), or plain text, one message per block, where a message starts at each
 * line beginning with {@code MSH} (blank lines between messages are optional; the batch envelope
 * segments FHS, BHS, BTS and FTS are skipped). Line ends (CR, LF, CRLF) become CR, as on the wire.
 * Bytes are kept as they are, so a message's character set is whatever MSH-18 says.
 */
public final class Hl7Archive implements Iterator<byte[]>, Closeable {

    private static final int START = 0x0b;
    private static final int END = 0x1c;
    private static final int CR = '\r';
    private static final int LF = '\n';

    private final InputStream in;
    private final boolean framed;
    private byte[] next;
    private byte[] pendingLine;

    private Hl7Archive(InputStream in, boolean framed) {
        this.in = in;
        this.framed = framed;
    }

    /** Opens {@code file}, telling its shape from its first byte that is not white space. */
    public static Hl7Archive open(Path file) throws IOException {
        return new Hl7Archive(new BufferedInputStream(Files.newInputStream(file), 1 << 16), isFramed(file));
    }

    /** Counts the messages of {@code file} without keeping them: the total a progress bar needs. */
    public static long count(Path file) throws IOException {
        long messages = 0;
        try (Hl7Archive archive = open(file)) {
            while (archive.hasNext()) {
                archive.next();
                messages++;
            }
        }
        return messages;
    }

    private static boolean isFramed(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            int b = in.read();
            while (b == ' ' || b == '\t' || b == CR || b == LF) {
                b = in.read();
            }
            return b == START;
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = framed ? readFrame() : readBlock();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return next != null;
    }

    @Override
    public byte[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        byte[] message = next;
        next = null;
        return message;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The next MLLP frame's content; bytes outside frames are dropped, as MLLP says. */
    private byte[] readFrame() throws IOException {
        int b = in.read();
        while (b != START) {
            if (b < 0) {
                return null;
            }
            b = in.read();
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream(2048);
        while ((b = in.read()) != END) {
            if (b < 0) {
                // Why: a frame cut off at the end of the file is a message all the same; the adapter judges it.
                return message.size() == 0 ? null : normalised(message.toByteArray());
            }
            message.write(b);
        }
        return normalised(message.toByteArray());
    }

    /** The next message of a plain-text archive: from an MSH line to the line before the next MSH. */
    private byte[] readBlock() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream(2048);
        byte[] line = pendingLine != null ? pendingLine : readLine();
        pendingLine = null;
        while (line != null && !startsWith(line, "MSH")) {
            line = readLine();
        }
        if (line == null) {
            return null;
        }
        message.write(line);
        message.write(CR);
        while ((line = readLine()) != null) {
            if (startsWith(line, "MSH")) {
                pendingLine = line;
                break;
            }
            if (line.length > 0 && !isEnvelope(line)) {
                message.write(line);
                message.write(CR);
            }
        }
        return message.toByteArray();
    }

    /** The next line without its end (CR, LF or CRLF), or null at the end of the file. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int b = in.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != CR && b != LF) {
            line.write(b);
            b = in.read();
        }
        if (b == CR) {
            in.mark(1);
            if (in.read() != LF) {
                in.reset();
            }
        }
        return line.toByteArray();
    }

    private static boolean isEnvelope(byte[] line) {
        return startsWith(line, "FHS") || startsWith(line, "BHS") || startsWith(line, "BTS") || startsWith(line, "FTS");
    }

    private static boolean startsWith(byte[] line, String segment) {
        if (line.length < 4) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            if (line[i] != segment.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Line ends become CR; trailing ends are trimmed to one CR. */
    private static byte[] normalised(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length);
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (b == LF) {
                if (i > 0 && message[i - 1] == CR) {
                    continue;
                }
                b = CR;
            }
            out.write(b);
        }
        byte[] text = out.toByteArray();
        int end = text.length;
        while (end > 0 && (text[end - 1] == CR || text[end - 1] == ' ')) {
            end--;
        }
        byte[] trimmed = java.util.Arrays.copyOf(text, end + (end < text.length ? 1 : 0));
        if (end < text.length) {
            trimmed[end] = CR;
        }
        return trimmed;
    }
}

package org.newbornregistry.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code java -jar nbr-adapter.jar send FILE [HOST[:PORT]]}: sends one HL7 v2 message file to an
 * MLLP listener (default localhost:2575) and prints the ACK. Line ends in the file (LF, CRLF)
 * become CR, as MLLP senders put them on the wire. Needs nothing but Java.
 */
public final class SendCommand {

    private SendCommand() {
    }

    /** Runs the command; returns the process exit code (0 for AA, 1 for AE/AR, 2 for a usage or I/O error). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 1 || args.length > 2) {
            err.println("usage: java -jar nbr-adapter.jar send FILE [HOST[:PORT]]   (default localhost:2575)");
            return 2;
        }
        String target = args.length == 2 ? args[1] : "localhost:2575";
        String host = target.contains(":") ? target.substring(0, target.indexOf(':')) : target;
        int port = target.contains(":") ? Integer.parseInt(target.substring(target.indexOf(':') + 1)) : 2575;
        try {
            byte[] message = toCarriageReturns(Files.readAllBytes(Path.of(args[0])));
            String ack = exchange(host, port, message);
            out.println(ack.replace("\r", System.lineSeparator()));
            return ack.contains("\rMSA|AA") ? 0 : 1;
        } catch (IOException e) {
            err.println("send failed: " + e.getMessage());
            return 2;
        }
    }

    static byte[] toCarriageReturns(byte[] file) {
        String text = new String(file, StandardCharsets.ISO_8859_1).replace("\r\n", "\r").replace('\n', '\r');
        while (text.endsWith("\r\r")) {
            text = text.substring(0, text.length() - 1);
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String exchange(String host, int port, byte[] message) throws IOException {
        try (MllpConnection connection = new MllpConnection(host, port, Duration.ofSeconds(30))) {
            return connection.exchange(message);
        }
    }
}

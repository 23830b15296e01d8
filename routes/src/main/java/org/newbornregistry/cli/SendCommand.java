package org.newbornregistry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code nbr-adapter send [--to HOST[:PORT]] FILE}: sends one HL7 v2 message file to an MLLP listener
 * and prints the ACK. Line ends in the file (LF, CRLF) become CR, as MLLP senders put them on the
 * wire. Prints nothing but the ACK (and on failure one line naming the target, never the message).
 */
@Command(name = "send",
        description = {"Sends one HL7 v2 message to the adapter's MLLP listener and prints the ACK it answers with.",
                "Exits 0 for AA, 1 for any other ACK."})
public final class SendCommand implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Mixin
    MllpTarget target;

    @Parameters(paramLabel = "FILE", converter = ExistingPath.class,
            description = "the message, one segment a line; line ends LF, CRLF or CR (sent as CR)")
    Path file;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "FILE must be a file, not " + file);
        }
        byte[] message = toCarriageReturns(Files.readAllBytes(file));
        String ack;
        try (MllpConnection connection = new MllpConnection(target.host(), target.port(), TIMEOUT)) {
            ack = connection.exchange(message);
        } catch (IOException e) {
            throw new IOException("no ACK from " + target + " (" + NbrCli.reason(e) + ")", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(ack.replace("\r", System.lineSeparator()));
        out.flush();
        return (ack.contains("\rMSA|AA") ? ExitCode.DONE : ExitCode.NEGATIVE).code();
    }

    static byte[] toCarriageReturns(byte[] file) {
        String text = new String(file, StandardCharsets.ISO_8859_1).replace("\r\n", "\r").replace('\n', '\r');
        while (text.endsWith("\r\r")) {
            text = text.substring(0, text.length() - 1);
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}

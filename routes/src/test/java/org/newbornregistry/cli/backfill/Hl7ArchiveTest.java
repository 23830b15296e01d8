package org.newbornregistry.cli.backfill;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newbornregistry.conformance.Samples;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Archives in the shapes hospitals keep them, built from the project's own sample messages. */
class Hl7ArchiveTest {

    private static final String BIRTH = sample("adt-a01-newborn-twin-b.hl7");
    private static final String ORDER = sample("oml-o21-newborn-screening-order.hl7");
    private static final String RESULT = sample("oru-r01-str-genotype.hl7");

    @Test
    void shouldReadEachMllpFrameAsOneMessageAndDropBytesBetweenFrames(@TempDir Path directory) throws Exception {
        // given: frames as captured off the wire, with LF line ends, noise between frames and a last frame cut off
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        for (String message : List.of(BIRTH, ORDER)) {
            archive.write(0x0b);
            archive.write(message.replace('\r', '\n').getBytes(StandardCharsets.ISO_8859_1));
            archive.write(new byte[] {0x1c, 0x0d, '\n', 'x'});
        }
        archive.write(0x0b);
        archive.write(RESULT.substring(0, RESULT.indexOf("\rOBX")).getBytes(StandardCharsets.ISO_8859_1));
        Path file = Files.write(directory.resolve("capture.mllp"), archive.toByteArray());

        // when
        List<String> messages = read(file);

        // then
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0)).isEqualTo(BIRTH);
        assertThat(messages.get(1)).isEqualTo(ORDER);
        assertThat(messages.get(2)).startsWith("MSH|").doesNotContain("\n").doesNotContain("OBX");
        assertThat(Hl7Archive.count(file)).isEqualTo(3);
    }

    @Test
    void shouldSplitAPlainArchiveAtEachMshWithOrWithoutBlankLinesAndSkipTheBatchEnvelope(@TempDir Path directory) throws Exception {
        // given: a batch file (FHS/BHS ... BTS/FTS), CRLF line ends, a blank line after the first message only
        String text = "FHS|^~\\&|NURSERY\r\nBHS|^~\\&|NURSERY\r\n"
                + BIRTH.replace("\r", "\r\n") + "\r\n"
                + ORDER.replace("\r", "\r\n")
                + RESULT.replace("\r", "\r\n")
                + "BTS|3\r\nFTS|1\r\n";
        Path file = Files.writeString(directory.resolve("batch.hl7"), text, StandardCharsets.ISO_8859_1);

        // when
        List<String> messages = read(file);

        // then
        assertThat(messages).containsExactly(BIRTH, ORDER, RESULT);
    }

    @Test
    void shouldFindNoMessageInAFileWithoutAnMsh(@TempDir Path directory) throws Exception {
        // given
        Path file = Files.writeString(directory.resolve("notes.txt"), "not HL7\nat all\n");

        // then
        assertThat(read(file)).isEmpty();
    }

    private static List<String> read(Path file) throws Exception {
        List<String> messages = new ArrayList<>();
        try (Hl7Archive archive = Hl7Archive.open(file)) {
            archive.forEachRemaining(m -> messages.add(new String(m, StandardCharsets.ISO_8859_1)));
        }
        return messages;
    }

    /** A project sample as it goes on the wire: segments ended by CR. */
    private static String sample(String name) {
        String text = new String(Samples.v2(name), StandardCharsets.ISO_8859_1).replace("\r\n", "\r").replace('\n', '\r');
        return text.endsWith("\r") ? text : text + "\r";
    }
}

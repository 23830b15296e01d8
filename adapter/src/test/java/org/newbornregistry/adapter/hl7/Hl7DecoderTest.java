package org.newbornregistry.adapter.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.conformance.SharedCorpus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

class Hl7DecoderTest {

    private final Hl7Decoder decoder = new Hl7Decoder();

    @Test
    void shouldDropByteOrderMarkAndUseCrBetweenSegmentsWhateverWasSent() throws Exception {
        // given: a real message with a UTF-8 BOM before MSH, stored with LF
        byte[] raw = Files.readAllBytes(SharedCorpus.file("hl7/adt_a04_v23_utf8_bom_before_msh.hl7"));

        // when
        Hl7Decoder.Decoded decoded = decoder.decode(raw);

        // then
        assertThat(decoded.text()).startsWith("MSH|^~\\&|").doesNotContain("\n");
        assertThat(decoded.text().split("\r")).extracting(s -> s.substring(0, 3)).containsExactly("MSH", "PID", "NK1", "PV1");
        assertThat(decoded.problems()).isEmpty();
    }

    @Test
    void shouldReportTwoSegmentsMergedOnOneLine() {
        // when
        Hl7Decoder.Decoded decoded = decoder.decode(ascii(
                "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5.1\rPID|1||123^^^X||DOE^BABY OBX|1|NM|8339-4^^LN||2450\r"));

        // then
        assertThat(decoded.problems()).extracting(Hl7Problem::error).containsExactly(NbrError.HL7_DAMAGED);
        assertThat(decoded.problems().get(0).location()).isEqualTo(Hl7Location.segment("PID", 1));
    }

    @Test
    void shouldReportANulCharacterAtItsSegment() {
        // when: a NUL in the second OBX (found by V2IntakeFuzzTest; no database text column holds one)
        Hl7Decoder.Decoded decoded = decoder.decode(ascii("MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5.1\rPID|1||123^^^X\r"
                + "OBX|1|NM|8339-4^^LN||2450\rOBX|2|ST|X^^L||A\u0000B\r"));

        // then
        assertThat(decoded.problems()).extracting(Hl7Problem::error).containsExactly(NbrError.HL7_DAMAGED);
        assertThat(decoded.problems().get(0).location()).isEqualTo(Hl7Location.segment("OBX", 2));
    }

    @Test
    void shouldReportFieldBrokenByLineBreak() {
        // when
        Hl7Decoder.Decoded decoded = decoder.decode(ascii(
                "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5.1\nPID|1||123^^^X||DOE^BABY\nGIRL|||F\n"));

        // then
        assertThat(decoded.problems()).extracting(Hl7Problem::error).containsExactly(NbrError.HL7_DAMAGED);
        assertThat(decoded.problems().get(0).message()).contains("broken by a line break");
    }

    @Test
    void shouldReportDamagedEncodingCharactersFromTheCorpus() throws Exception {
        // when
        Hl7Decoder.Decoded decoded = decoder.decode(Files.readAllBytes(
                SharedCorpus.file("hl7/malformed_adt_a01_crlf_msh2_double_backslash_literal_r.hl7")));

        // then
        assertThat(decoded.problems()).extracting(Hl7Problem::location).contains(Hl7Location.field("MSH", 2));
    }

    @Test
    void shouldDecodeTheCharacterSetMsh18Names() {
        // given: "Müller" in ISO-8859-1
        byte[] raw = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5.1||||||8859/1\rPID|1||1^^^X||Müller^Anna\r"
                .getBytes(StandardCharsets.ISO_8859_1);

        // when
        Hl7Decoder.Decoded decoded = decoder.decode(raw);

        // then
        assertThat(decoded.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(decoded.text()).contains("Müller");
        assertThat(decoded.problems()).isEmpty();
    }

    @Test
    void shouldNotReplaceBytesThatAreNotValidInTheDeclaredCharacterSet() {
        // given: declared ASCII, sent UTF-8
        byte[] raw = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5.1||||||ASCII\rPID|1||1^^^X||Müller^Anna\r"
                .getBytes(StandardCharsets.UTF_8);

        // when
        Hl7Decoder.Decoded decoded = decoder.decode(raw);

        // then
        assertThat(decoded.text()).contains("Müller");
        assertThat(decoded.problems()).singleElement().satisfies(p -> assertThat(p.isWarning()).isTrue());
    }

    @ParameterizedTest(name = "MSH-2 with {0}")
    @ValueSource(strings = {"\uFFFD", "\u0001", " ", "e", "7"})
    void shouldRefuseAnMsh2HoldingACharacterThatCannotBeADelimiter(String character) {
        // when: such a character, used as a separator, splits every value that carries it
        Hl7Decoder.Decoded decoded = decoder.decode(("MSH|^~\\" + character + "|A|B|C|D|20240101||ADT^A01|1|P|2.5.1\r"
                + "PID|1||123^^^X||DOE^BABY||20240101|F|||1 MAIN STREET^^SPRINGFIELD\r").getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(decoded.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.error()).isEqualTo(NbrError.HL7_UNREADABLE_HEADER);
            assertThat(problem.error().ackCode()).isEqualTo(AcknowledgmentCode.AR);
            assertThat(problem.location()).isEqualTo(Hl7Location.field("MSH", 2));
        });
    }

    @Test
    void shouldWarnAtEachFieldHoldingTheReplacementCharacter() {
        // when: U+FFFD where an upstream transcoding lost a character, in PID-11 and NK1-2
        Hl7Decoder.Decoded decoded = decoder.decode(("MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5.1\r"
                + "PID|1||123^^^X||DOE^BABY||20240101|F|||VIA SANT\uFFFDAMBROGIO 1^^MILANO\rNK1|1|ROSSI^MAR\uFFFDA\r")
                .getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(decoded.problems()).allMatch(Hl7Problem::isWarning).extracting(Hl7Problem::location)
                .containsExactly(Hl7Location.field("PID", 11), Hl7Location.field("NK1", 2));
        assertThat(decoded.text()).as("the text is kept as it came").contains("SANT\uFFFDAMBROGIO");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}

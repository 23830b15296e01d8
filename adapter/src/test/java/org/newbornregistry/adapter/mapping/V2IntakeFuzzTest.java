package org.newbornregistry.adapter.mapping;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.hl7.AckFactory;
import org.newbornregistry.adapter.hl7.Hl7Parser;
import org.newbornregistry.adapter.hl7.Hl7Problem;
import org.newbornregistry.conformance.FuzzFindings;
import org.newbornregistry.conformance.FuzzSeeds;
import org.newbornregistry.conformance.SharedCorpus;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the HL7 v2 entrance without the database: whatever bytes arrive, {@link V2Intake#read}
 * either maps them to a transaction (AA) or says why not (AE or AR with at least one error), and
 * the ACK built from that is a message a sender can parse, answering its control id. Nothing may
 * throw: {@code InboundMessageService} stores and answers only what {@code read} returns.
 *
 * <p>Seeds: the project's samples, the shared corpus when present, and a few damaged headers.
 * Regular builds fuzz for a few seconds (surefire execution {@code fuzz-v2-intake}); findings are
 * written under {@code target/jazzer/}, and failures here never print the input or values read
 * from it, only classes, codes and segment ids.
 */
class V2IntakeFuzzTest {

    private static final V2Intake INTAKE = new V2Intake(ZoneId.of("America/Chicago"), Set.of("P", "T", "D"));
    private static final AckFactory ACKS = new AckFactory("NBR", "REGISTRY");
    private static final Hl7Parser ACK_PARSER = new Hl7Parser();
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    static Stream<Named<byte[]>> seeds() {
        return Stream.of(FuzzSeeds.v2Samples(), FuzzSeeds.sharedCorpus("hl7"), FuzzSeeds.sharedCorpus("fhir", ".hl7"),
                        handWritten())
                .flatMap(List::stream);
    }

    private static List<Named<byte[]>> handWritten() {
        return List.of(
                seed("empty", ""),
                seed("bare MSH", "MSH|"),
                seed("MSH with encoding characters only", "MSH|^~\\&|"),
                seed("other separators", "MSH#@~\\&#A|B#F#R#RF#20240501##ADT@A01#C1#P#2.5.1\rPID#1##1@@@X##DOE@BABY\r"),
                seed("BOM and LF", "\uFEFFMSH|^~\\&|A|F|R|RF|20240501||ORU^R01|C2|P|2.5.1\nPID|1||1^^^X\nOBR|1\nOBX|1|NM|x||y\n"),
                seed("MLLP frame bytes inside", "\u000bMSH|^~\\&|A|F|R|RF|20240501||ADT^A01|C3|P|2.5.1\u001c\r"),
                seed("charset declared", "MSH|^~\\&|A|F|R|RF|20240501||ADT^A01|C4|P|2.5.1||||||UNICODE UTF-16\rPID|1\r"),
                seed("MSH alone on its line", "MSH\nEH\\|X|\n"),
                seed("v2.8.2, which HAPI has no name for", "MSH|^~\\&|A|F|R|RF|20240501||ADT^A01|C5|P|2.8.2\rPID|1||1^^^X\r"),
                seed("OBX without value type", "MSH|^~\\&|A|F|R|RF|20240501||ORU^R01|C6|P|2.5.1\rPID|1||1^^^X\rOBR|1|P1|F1|X^Y^L\r"
                        + "OBX|1||X^Y^L||v\r"));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "5s")
    void shouldMapEveryInputOrSayWhyInAnAckTheSenderCanParse(byte[] raw) {
        // when
        Intake read;
        String ack;
        try {
            read = INTAKE.read(raw);
            ack = ACKS.ack(read.header(), read.ackCode(), read.problems(), NOW);
        } catch (RuntimeException e) {
            throw FuzzFindings.withoutContent("the HL7 intake threw", e);
        }

        // then
        assertThat(read.ackCode()).isIn(AcknowledgmentCode.AA, AcknowledgmentCode.AE, AcknowledgmentCode.AR);
        if (read.accepted()) {
            assertThat(read.ackCode()).isEqualTo(AcknowledgmentCode.AA);
            assertThat(read.problems()).allMatch(Hl7Problem::isWarning);
            assertMapped(read.mapped().transaction());
        } else {
            assertThat(read.problems()).anyMatch(p -> !p.isWarning());
            assertThat(read.ackCode()).isEqualTo(read.problems().stream()
                    .anyMatch(p -> p.error().ackCode() == AcknowledgmentCode.AR) ? AcknowledgmentCode.AR : AcknowledgmentCode.AE);
        }
        assertAck(ack, read);
    }

    @Test
    void shouldSeedFromTheSharedCorpusWhenPresent() {
        // given: skips, and says so, without ../shared/corpus
        List<String> corpus = SharedCorpus.files("hl7");

        // when
        List<String> seeded = seeds().map(Named::getName).toList();

        // then
        assertThat(seeded).containsAll(corpus.stream().map(f -> "corpus/hl7/" + f).toList());
    }

    /** A mapped message is a transaction the registry can store: each entry has a request, and the bundle encodes. */
    private static void assertMapped(Bundle transaction) {
        assertThat(transaction.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(transaction.getEntry()).as("an accepted message records something").isNotEmpty();
        assertThat(transaction.getEntry()).allMatch(e -> e.hasRequest() && e.getRequest().hasMethod() && e.getRequest().hasUrl(),
                "every entry has a request with method and url");
        try {
            FHIR.newJsonParser().encodeResourceToString(transaction);
        } catch (RuntimeException e) {
            throw FuzzFindings.withoutContent("the mapped transaction does not encode", e);
        }
    }

    /**
     * The ACK parses as HL7, is an ACK, carries the intake's code and the sender's control id in
     * MSA, and has an ERR for each error when the message is refused. Values are compared, never printed.
     */
    private static void assertAck(String ack, Intake read) {
        List<String> segments = Arrays.stream(ack.split("\r")).map(s -> s.length() < 3 ? s : s.substring(0, 3)).toList();
        assertThat(segments).startsWith("MSH", "MSA");
        assertThat(segments.subList(2, segments.size())).allMatch("ERR"::equals, "only ERR segments");
        assertThat(ack.substring(0, ack.indexOf('\r')).split("\\|", -1).length).as("fields of the ACK's MSH").isEqualTo(12);
        if (!read.accepted()) {
            assertThat(segments).as("an ERR says why the message is refused").contains("ERR");
        }
        Message parsed;
        try {
            parsed = ACK_PARSER.parse(ack);
        } catch (RuntimeException e) {
            throw FuzzFindings.withoutContent("the ACK does not parse", e);
        }
        Terser terser = new Terser(parsed);
        try {
            assertThat(terser.get("/MSH-9-1")).isEqualTo("ACK");
            assertThat(terser.get("/MSA-1")).isEqualTo(read.ackCode().name());
            String controlId = read.header().controlId();
            // Why: control characters are not HL7 text; HAPI's escaping does not keep them, and no sender uses them in MSH-10.
            if (controlId.chars().noneMatch(Character::isISOControl)) {
                assertThat(nullToEmpty(terser.get("/MSA-2")).equals(controlId)).as("MSA-2 is the control id the sender sent").isTrue();
            }
        } catch (HL7Exception e) {
            throw FuzzFindings.withoutContent("the ACK's fields cannot be read", e);
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static Named<byte[]> seed(String name, String text) {
        return Named.of(name, text.getBytes(StandardCharsets.UTF_8));
    }
}

package org.newbornregistry.adapter.mapping;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hl7v2.model.Message;
import org.hl7.fhir.r4.model.Bundle;
import org.newbornregistry.adapter.hl7.Hl7Decoder;
import org.newbornregistry.adapter.hl7.Hl7Parser;
import org.newbornregistry.adapter.hl7.MessageHeader;
import org.newbornregistry.conformance.ScreeningOrder;
import org.newbornregistry.conformance.StrResult;
import org.newbornregistry.conformance.TwinBirth;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.ZoneId;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The JMH benchmarks behind {@link ParseMapBenchmark}: the steps of the HL7 v2 inbound path that
 * need no database, each on its own, per message type.
 * <ul>
 *   <li>{@link #parse}: decoded text to a HAPI {@link Message}, with the adapter's {@link Hl7Parser}.</li>
 *   <li>{@link #map}: a parsed message to the transaction Bundle, with the family's mapper.</li>
 *   <li>{@link #parseAndMap}: bytes to the mapped transaction through {@link V2Intake#read}, as
 *       {@code InboundMessageService} calls it (decode, header, acceptance, parse, map).</li>
 *   <li>{@link #encodeJson}: the transaction Bundle to JSON with HAPI FHIR's JSON parser.</li>
 * </ul>
 * Messages come from the conformance generators, {@value #POOL} unique ones per type, so that
 * the JIT sees varied identifiers rather than one constant string. The parser and the intake
 * are shared by all threads, as the server shares its one {@code V2Intake}.
 */
@State(Scope.Benchmark)
public class ParseMapSteps {

    /** Unique messages per type; a power of two. */
    static final int POOL = 64;

    private static final ZoneId ZONE = ZoneId.of("UTC");
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    /** ADT_A01 newborn with mother (TwinBirth), OML_O21 screening order with SPM, ORU_R01 STR genotype result. */
    @Param({"ADT_A01", "OML_O21", "ORU_R01"})
    public String messageType;

    private final V2Intake intake = new V2Intake(ZONE, Set.of("P", "T", "D"));
    private final Hl7Parser parser = new Hl7Parser();
    private final byte[][] raw = new byte[POOL][];
    private final String[] text = new String[POOL];
    private final MessageHeader[] headers = new MessageHeader[POOL];
    private final Message[] parsed = new Message[POOL];
    private final Bundle[] bundles = new Bundle[POOL];
    private BiFunction<Message, MappingContext, MappedMessage> mapper;

    /** Each thread's position in the pool. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next;

        int next() {
            return next++ & (POOL - 1);
        }
    }

    @Setup
    public void generate() {
        mapper = switch (messageType) {
            case "ADT_A01" -> NewbornAdtMapper::map;
            case "OML_O21" -> LabOrderMapper::map;
            case "ORU_R01" -> LabResultMapper::map;
            default -> throw new IllegalArgumentException("no generator for " + messageType);
        };
        Hl7Decoder decoder = new Hl7Decoder();
        for (int i = 0; i < POOL; i++) {
            raw[i] = message(messageType);
            Intake read = intake.read(raw[i]);
            if (!read.accepted()) {
                throw new IllegalStateException(messageType + " sample is not accepted: "
                        + read.problems().stream().map(p -> p.error().code()).toList());
            }
            text[i] = decoder.decode(raw[i]).text();
            headers[i] = read.header();
            parsed[i] = parser.parse(text[i]);
            bundles[i] = read.mapped().transaction();
        }
    }

    private static byte[] message(String type) {
        TwinBirth birth = TwinBirth.unique();
        return switch (type) {
            case "ADT_A01" -> birth.bytes();
            case "OML_O21" -> ScreeningOrder.of(birth, StrResult.forNewborn(birth.mrn())).bytes();
            case "ORU_R01" -> StrResult.forNewborn(birth.mrn()).bytes();
            default -> throw new IllegalArgumentException("no generator for " + type);
        };
    }

    @Benchmark
    public Message parse(Cursor cursor) {
        return parser.parse(text[cursor.next()]);
    }

    @Benchmark
    public MappedMessage map(Cursor cursor) {
        int i = cursor.next();
        return mapper.apply(parsed[i], new MappingContext(headers[i], ZONE));
    }

    @Benchmark
    public Intake parseAndMap(Cursor cursor) {
        return intake.read(raw[cursor.next()]);
    }

    @Benchmark
    public String encodeJson(Cursor cursor) {
        return FHIR.newJsonParser().encodeResourceToString(bundles[cursor.next()]);
    }
}

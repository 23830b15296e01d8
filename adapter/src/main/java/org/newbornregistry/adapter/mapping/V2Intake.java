package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.model.Message;
import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.Hl7Decoder;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.adapter.hl7.Hl7Parser;
import org.newbornregistry.adapter.hl7.Hl7Problem;
import org.newbornregistry.adapter.hl7.MessageAcceptance;
import org.newbornregistry.adapter.hl7.MessageHeader;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * From the bytes of a received message to what the registry stores: decode, read the header,
 * check acceptance (AR), refuse damage (AE), parse, and map with the message family's mapper.
 * Pure: no I/O, safe to call from any thread.
 */
public final class V2Intake {

    /** A message family: its message type, the trigger events it takes and their mapper. */
    private record Family(String type, Set<String> events, BiFunction<Message, MappingContext, MappedMessage> mapper) {
    }

    private static final List<Family> FAMILIES = List.of(
            new Family("ADT", NewbornAdtMapper.EVENTS, NewbornAdtMapper::map),
            new Family("ADT", PatientMergeMapper.EVENTS, PatientMergeMapper::map),
            new Family("ORU", LabResultMapper.EVENTS, LabResultMapper::map),
            new Family("OML", LabOrderMapper.OML_EVENTS, LabOrderMapper::map),
            new Family("ORM", LabOrderMapper.ORM_EVENTS, LabOrderMapper::map));

    /** Message types and trigger events mapped so far. */
    public static final Map<String, Set<String>> SUPPORTED = FAMILIES.stream().collect(Collectors.toUnmodifiableMap(
            Family::type, Family::events, (a, b) -> Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet())));

    private final Hl7Decoder decoder = new Hl7Decoder();
    private final Hl7Parser parser = new Hl7Parser();
    private final MessageAcceptance acceptance;
    private final ZoneId defaultZone;

    /**
     * @param defaultZone   zone of times sent without an offset
     * @param processingIds accepted MSH-11 values
     */
    public V2Intake(ZoneId defaultZone, Set<String> processingIds) {
        this.defaultZone = defaultZone;
        this.acceptance = new MessageAcceptance(SUPPORTED, processingIds);
    }

    public Intake read(byte[] raw) {
        Hl7Decoder.Decoded decoded = decoder.decode(raw);
        List<Hl7Problem> problems = new ArrayList<>(decoded.problems());
        MessageHeader header;
        try {
            header = MessageHeader.read(decoded.text());
        } catch (MappingException e) {
            problems.add(0, e.problem());
            return rejected(MessageHeader.UNKNOWN, decoded.text(), problems);
        }
        try {
            acceptance.check(header);
        } catch (MappingException e) {
            problems.add(0, e.problem());
            return rejected(header, decoded.text(), problems);
        }
        if (problems.stream().anyMatch(p -> !p.isWarning())) {
            return rejected(header, decoded.text(), problems);
        }
        try {
            Message message = parser.parse(decoded.text());
            MappingContext context = new MappingContext(header, defaultZone);
            MappedMessage mapped = mapperFor(header).apply(message, context);
            problems.addAll(mapped.warnings());
            if (mapped.transaction().getEntry().isEmpty()) {
                // Why: AA says "recorded"; a message none of whose segments stood where its structure has them recorded nothing.
                problems.add(0, new Hl7Problem(NbrError.HL7_DAMAGED, Hl7Location.segment("MSH", 1),
                        "nothing in the message could be mapped: its segments stand outside the structure of "
                                + header.messageType() + "^" + header.triggerEvent()));
                return rejected(header, decoded.text(), problems);
            }
            return new Intake(header, decoded.text(), mapped, List.copyOf(problems), AcknowledgmentCode.AA);
        } catch (MappingException e) {
            problems.add(e.problem());
            return rejected(header, decoded.text(), problems);
        }
    }

    /**
     * Only the header of a message, and its text, for a message that is refused before it is read
     * (its frame too large to read whole): nothing is parsed or mapped.
     */
    public Intake readHeader(byte[] raw, Hl7Problem refusal) {
        Hl7Decoder.Decoded decoded = decoder.decode(raw);
        MessageHeader header;
        try {
            header = MessageHeader.read(decoded.text());
        } catch (MappingException e) {
            header = MessageHeader.UNKNOWN;
        }
        return rejected(header, decoded.text(), List.of(refusal));
    }

    private static BiFunction<Message, MappingContext, MappedMessage> mapperFor(MessageHeader header) {
        return FAMILIES.stream()
                .filter(f -> f.type().equals(header.messageType()) && f.events().contains(header.triggerEvent()))
                .findFirst().orElseThrow(() -> new IllegalStateException("acceptance admitted an unmapped message type"))
                .mapper();
    }

    private static Intake rejected(MessageHeader header, String text, List<Hl7Problem> problems) {
        AcknowledgmentCode code = problems.stream().anyMatch(p -> p.error().ackCode() == AcknowledgmentCode.AR)
                ? AcknowledgmentCode.AR : AcknowledgmentCode.AE;
        return new Intake(header, text, null, List.copyOf(problems), code);
    }
}

package org.newbornregistry.fhir.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.newbornregistry.adapter.hl7.MessageHeader;
import org.newbornregistry.adapter.mapping.V2Intake;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The HL7 v2 entrance as metrics: {@code nbr.hl7.messages} counts received messages by message type,
 * trigger event and ACK code, {@code nbr.hl7.mapping} times decoding, parsing and mapping,
 * {@code nbr.hl7.messages.per.transaction} says how many messages each database transaction wrote
 * (group commit) and {@code nbr.hl7.messages.waiting} how many wait for a writer.
 * Tags carry only values from a fixed list: a type or event the adapter does not take is
 * {@code other} (MSH-9 is whatever the sender wrote), and no tag ever holds MSH-10 or any other
 * identifier. Every series exists from the start at zero, so that rates and ratios over them are
 * defined before the first message.
 */
public class MessageMetrics {

    /** The tag value of a message type or trigger event the adapter does not take. */
    static final String OTHER = "other";

    private final Map<String, Counter> received = new ConcurrentHashMap<>();
    private final Timer mapping;
    private final DistributionSummary perTransaction;
    private final MeterRegistry registry;

    public MessageMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (AcknowledgmentCode ack : new AcknowledgmentCode[]{AcknowledgmentCode.AA, AcknowledgmentCode.AE, AcknowledgmentCode.AR}) {
            V2Intake.SUPPORTED.forEach((type, events) -> {
                Set<String> triggers = new TreeSet<>(events);
                triggers.add(OTHER);
                triggers.forEach(trigger -> register(registry, type, trigger, ack));
            });
            register(registry, OTHER, OTHER, ack);
        }
        this.mapping = Timer.builder("nbr.hl7.mapping")
                .description("Time to decode, parse and map a received HL7 v2 message to its FHIR transaction")
                .publishPercentileHistogram()
                .register(registry);
        this.perTransaction = DistributionSummary.builder("nbr.hl7.messages.per.transaction")
                .description("HL7 v2 messages written per database transaction: more than one when they arrive together")
                .baseUnit("messages")
                .register(registry);
    }

    /** Records that one database transaction wrote {@code messages} received messages. */
    public void wrote(int messages) {
        perTransaction.record(messages);
    }

    /** Publishes how many received messages wait for a database writer. */
    public void waiting(Supplier<Number> queued) {
        Gauge.builder("nbr.hl7.messages.waiting", queued)
                .description("HL7 v2 messages received and waiting for a database writer")
                .baseUnit("messages")
                .register(registry);
    }

    /** Counts a received message and the ACK it was answered with. */
    public void received(MessageHeader header, AcknowledgmentCode ack) {
        String type = V2Intake.SUPPORTED.containsKey(header.messageType()) ? header.messageType() : OTHER;
        String trigger = !type.equals(OTHER) && V2Intake.SUPPORTED.get(type).contains(header.triggerEvent())
                ? header.triggerEvent() : OTHER;
        Counter counter = received.get(key(type, trigger, ack));
        if (counter != null) {
            counter.increment();
        }
    }

    /** The timer of intake (decode, parse, map). */
    public Timer mapping() {
        return mapping;
    }

    private void register(MeterRegistry registry, String type, String trigger, AcknowledgmentCode ack) {
        received.put(key(type, trigger, ack), Counter.builder("nbr.hl7.messages")
                .description("HL7 v2 messages received, by message type (MSH-9.1), trigger event (MSH-9.2) and ACK code")
                .baseUnit("messages")
                .tag("type", type)
                .tag("trigger", trigger)
                .tag("ack", ack.name())
                .register(registry));
    }

    private static String key(String type, String trigger, AcknowledgmentCode ack) {
        return type + "^" + trigger + "|" + ack.name();
    }
}

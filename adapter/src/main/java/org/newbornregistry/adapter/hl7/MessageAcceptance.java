package org.newbornregistry.adapter.hl7;

import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;

import java.util.Map;
import java.util.Set;

/**
 * Whether a message is one the adapter takes at all, decided from its header alone: version
 * 2.3 to 2.8, a supported message type and trigger event, an accepted processing id. A message
 * that fails is rejected (AR) without being mapped, as IPF's {@code NakFactory} treats
 * acceptance failures.
 */
public final class MessageAcceptance {

    /** The HL7 versions (MSH-12.1) taken; an ACK answers in the sender's version only when it is one of these. */
    static final Set<String> VERSIONS =
            Set.of("2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.8.1", "2.8.2");

    private final Map<String, Set<String>> eventsByType;
    private final Set<String> processingIds;

    /**
     * @param eventsByType  message types (MSH-9.1) and the trigger events (MSH-9.2) taken for each
     * @param processingIds accepted MSH-11 values (P production, T training, D debugging)
     */
    public MessageAcceptance(Map<String, Set<String>> eventsByType, Set<String> processingIds) {
        this.eventsByType = Map.copyOf(eventsByType);
        this.processingIds = Set.copyOf(processingIds);
    }

    /** @throws MappingException with an AR error if the message is not taken */
    public void check(MessageHeader header) {
        if (header.messageType().isEmpty()) {
            throw new MappingException(NbrError.HL7_UNREADABLE_HEADER, Hl7Location.field("MSH", 9), "MSH-9 (message type) is empty");
        }
        if (header.controlId().isEmpty()) {
            throw new MappingException(NbrError.HL7_UNREADABLE_HEADER, Hl7Location.field("MSH", 10), "MSH-10 (message control id) is empty");
        }
        if (!VERSIONS.contains(header.version())) {
            throw new MappingException(NbrError.HL7_UNSUPPORTED_VERSION, Hl7Location.field("MSH", 12),
                    "versions 2.3 to 2.8 are accepted");
        }
        Set<String> events = eventsByType.get(header.messageType());
        if (events == null) {
            throw new MappingException(NbrError.HL7_UNSUPPORTED_MESSAGE_TYPE, Hl7Location.field("MSH", 9),
                    "message type " + header.messageType() + " is not accepted; accepted: " + eventsByType.keySet());
        }
        if (!events.contains(header.triggerEvent())) {
            throw new MappingException(NbrError.HL7_UNSUPPORTED_EVENT, new Hl7Location("MSH", 1, 9, 2),
                    "trigger event " + header.triggerEvent() + " is not accepted for " + header.messageType());
        }
        if (!processingIds.contains(header.processingId())) {
            throw new MappingException(NbrError.HL7_UNSUPPORTED_PROCESSING_ID, Hl7Location.field("MSH", 11),
                    "processing id is not one this adapter accepts: " + processingIds);
        }
    }
}

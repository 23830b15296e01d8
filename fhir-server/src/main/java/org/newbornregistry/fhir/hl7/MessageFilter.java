package org.newbornregistry.fhir.hl7;

import java.time.Instant;
import java.util.Set;

/**
 * Which messages of the message store a listing or a replay is about. Every criterion is
 * optional (null or empty: any); the given ones must all hold.
 *
 * @param statuses        any of these statuses (PROCESSING, ACCEPTED, REJECTED, REFUSED)
 * @param ackCodes        any of these ACK codes (AA, AE, AR)
 * @param messageType     MSH-9.1, exactly
 * @param triggerEvent    MSH-9.2, exactly
 * @param sendingFacility MSH-4 as sent, or its first component (the namespace)
 * @param controlId       MSH-10, exactly
 * @param receivedFrom    received at or after this moment
 * @param receivedTo      received before this moment
 * @param errorCode       a problem of the message has this registry code ({@code NBR-xxxx})
 */
public record MessageFilter(Set<String> statuses, Set<String> ackCodes, String messageType, String triggerEvent,
                            String sendingFacility, String controlId, Instant receivedFrom, Instant receivedTo,
                            String errorCode) {

    /** Every message. */
    public static final MessageFilter ANY = new MessageFilter(Set.of(), Set.of(), null, null, null, null, null, null, null);

    public MessageFilter {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        ackCodes = ackCodes == null ? Set.of() : Set.copyOf(ackCodes);
    }

    /** Whether no criterion is given, so that every message matches. */
    public boolean isEmpty() {
        return equals(ANY);
    }
}

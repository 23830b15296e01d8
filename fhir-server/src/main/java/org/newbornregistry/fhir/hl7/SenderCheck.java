package org.newbornregistry.fhir.hl7;

import org.hl7.fhir.r4.model.AuditEvent;
import org.newbornregistry.adapter.hl7.Hl7Problem;
import org.newbornregistry.adapter.hl7.MessageHeader;

import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The transport's verdict on whether the connection that delivered a message may send for the
 * sender its header names (for MLLP over mutual TLS: whether the client certificate is bound to
 * MSH-3/MSH-4). Asked by {@link InboundMessageService} after the header is read and before
 * anything else happens to the message.
 */
@FunctionalInterface
public interface SenderCheck {

    /** For transports that do not authenticate their peers: every sender is taken at its word. */
    SenderCheck ANYONE = header -> Optional.empty();

    /** Empty when the connection may send this message; otherwise why not. */
    Optional<Refusal> check(MessageHeader header);

    /**
     * A message the connection may not send: it is answered AR with {@code problem}, kept in the
     * message store as refused, never processed (not even by a replay), and {@code auditEvent} is
     * committed with its record.
     *
     * @param problem    the ERR of the AR, an {@code HL7_SENDER_NOT_AUTHORISED} problem
     * @param auditEvent the security event to record, given the message's store id
     */
    record Refusal(Hl7Problem problem, LongFunction<AuditEvent> auditEvent) {
    }
}

package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.AcknowledgmentCode;
import org.newbornregistry.adapter.hl7.Hl7Problem;
import org.newbornregistry.adapter.hl7.MessageHeader;

import java.util.List;

/**
 * What became of a received message before it reaches the registry: its header (as far as it
 * could be read), its decoded text, the mapped transaction if it was accepted, every problem
 * found, and the acknowledgement code those problems call for.
 *
 * @param header   the MSH, or {@link MessageHeader#UNKNOWN}
 * @param text     the decoded text (segments separated by CR)
 * @param mapped   the transaction to store, or null when the message is rejected
 * @param problems errors and warnings, in the order found
 * @param ackCode  AA when mapped (warnings allowed), AE for content errors, AR for acceptance failures
 */
public record Intake(MessageHeader header, String text, MappedMessage mapped, List<Hl7Problem> problems,
                     AcknowledgmentCode ackCode) {

    /** Whether the message maps to a transaction to commit. */
    public boolean accepted() {
        return mapped != null;
    }
}

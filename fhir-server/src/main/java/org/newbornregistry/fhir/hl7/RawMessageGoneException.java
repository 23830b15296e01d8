package org.newbornregistry.fhir.hl7;

/**
 * The bytes of a message were deleted once its retention period ({@code nbr.hl7.raw-retention})
 * had passed; its record is still there, but it can neither be read nor replayed.
 */
public class RawMessageGoneException extends RuntimeException {

    private final long messageId;

    public RawMessageGoneException(long messageId) {
        super("the bytes of HL7 message " + messageId + " were deleted after the retention period");
        this.messageId = messageId;
    }

    /** The message whose bytes are gone. */
    public long messageId() {
        return messageId;
    }
}

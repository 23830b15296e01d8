package org.newbornregistry.fhir.hl7;

/** No message in the message store has the id asked for. */
public class MessageNotFoundException extends RuntimeException {

    private final long messageId;

    public MessageNotFoundException(long messageId) {
        super("no HL7 message with id " + messageId);
        this.messageId = messageId;
    }

    /** The id asked for. */
    public long messageId() {
        return messageId;
    }
}

package org.newbornregistry.adapter.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import org.newbornregistry.adapter.error.NbrError;

/**
 * Something wrong with, or worth telling about, a received message: one ERR segment of its ACK
 * and one entry in the message store.
 *
 * @param error    what kind of problem
 * @param location where, or null when the problem is not at one place
 * @param message  what to tell the sender; names fields, never repeats their content
 */
public record Hl7Problem(NbrError error, Hl7Location location, String message) {

    /** A problem that accepts the message anyway (ERR severity W). */
    public static Hl7Problem warning(Hl7Location location, String message) {
        return new Hl7Problem(NbrError.HL7_WARNING, location, message);
    }

    /** Whether this problem lets the message be accepted. */
    public boolean isWarning() {
        return error.ackCode() == AcknowledgmentCode.AA;
    }

    @Override
    public String toString() {
        return error.code() + (location == null ? "" : " at " + location) + ": " + message;
    }
}

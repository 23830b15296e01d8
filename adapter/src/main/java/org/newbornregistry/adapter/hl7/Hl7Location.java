package org.newbornregistry.adapter.hl7;

/**
 * Where in a message something is: segment, its occurrence, field and component, as an ERR
 * segment's error location (ERR-2, or ERR-1 before v2.5) names it.
 *
 * @param segment    segment ID, e.g. {@code PID}
 * @param occurrence 1 for the first segment of that ID in the message, 2 for the second, ...
 * @param field      field number, or 0 for the whole segment
 * @param component  component number, or 0 for the whole field
 */
public record Hl7Location(String segment, int occurrence, int field, int component) {

    /** A whole segment. */
    public static Hl7Location segment(String segment, int occurrence) {
        return new Hl7Location(segment, occurrence, 0, 0);
    }

    /** A field of the first segment of an ID. */
    public static Hl7Location field(String segment, int field) {
        return new Hl7Location(segment, 1, field, 0);
    }

    /** The same place in the {@code occurrence}-th segment of this ID. */
    public Hl7Location at(int occurrenceNumber) {
        return new Hl7Location(segment, occurrenceNumber, field, component);
    }

    /** Readable form: {@code PID-7}, {@code OBX[3]-5.1}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(segment);
        if (occurrence > 1) {
            text.append('[').append(occurrence).append(']');
        }
        if (field > 0) {
            text.append('-').append(field);
            if (component > 0) {
                text.append('.').append(component);
            }
        }
        return text.toString();
    }
}

package org.newbornregistry.adapter.hl7;

import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;

/**
 * The MSH segment of a received message, read from the text before (and independently of) the
 * full parse, so that even a message HAPI cannot parse gets an ACK that names its control id and
 * goes back to its sender. Values are kept as sent (components joined with {@code ^}).
 *
 * @param fieldSeparator      MSH-1
 * @param encodingCharacters  MSH-2
 * @param sendingApplication  MSH-3
 * @param sendingFacility     MSH-4
 * @param receivingApplication MSH-5
 * @param receivingFacility   MSH-6
 * @param messageType         MSH-9.1, e.g. ADT
 * @param triggerEvent        MSH-9.2, e.g. A01
 * @param controlId           MSH-10
 * @param processingId        MSH-11.1 (P, T, D)
 * @param version             MSH-12.1, e.g. 2.5.1
 * @param characterSet        MSH-18 (first repetition), or empty
 */
public record MessageHeader(
        char fieldSeparator,
        String encodingCharacters,
        String sendingApplication,
        String sendingFacility,
        String receivingApplication,
        String receivingFacility,
        String messageType,
        String triggerEvent,
        String controlId,
        String processingId,
        String version,
        String characterSet) {

    /** What a header is when nothing could be read: an ACK can still be built from it. */
    public static final MessageHeader UNKNOWN =
            new MessageHeader('|', "^~\\&", "", "", "", "", "", "", "", "P", "2.6", "");

    /**
     * Reads the MSH segment at the start of a message whose segments are separated by CR.
     *
     * @throws MappingException {@link NbrError#HL7_UNREADABLE_HEADER} if there is no MSH with
     *                          its encoding characters
     */
    public static MessageHeader read(String text) {
        int end = text == null ? -1 : text.indexOf('\r');
        String line = end < 0 ? text : text.substring(0, end);
        if (line == null || !line.startsWith("MSH") || line.length() < 8) {
            throw new MappingException(NbrError.HL7_UNREADABLE_HEADER, Hl7Location.segment("MSH", 1),
                    "the message does not start with an MSH segment and its encoding characters");
        }
        char separator = line.charAt(3);
        String[] fields = split(line, separator);
        String encoding = field(fields, 2);
        if (encoding.length() < 4) {
            throw new MappingException(NbrError.HL7_UNREADABLE_HEADER, Hl7Location.field("MSH", 2),
                    "MSH-2 must hold the four encoding characters");
        }
        char component = encoding.charAt(0);
        String type = field(fields, 9);
        String[] typeParts = split(type, component);
        return new MessageHeader(separator, encoding,
                field(fields, 3), field(fields, 4), field(fields, 5), field(fields, 6),
                part(typeParts, 0), part(typeParts, 1),
                field(fields, 10),
                part(split(field(fields, 11), component), 0),
                part(split(field(fields, 12), component), 0),
                part(split(field(fields, 18), encoding.length() > 1 ? encoding.charAt(1) : '~'), 0));
    }

    /**
     * The organisation that sent the message: MSH-4's universal id (an OID, for example) when it
     * has one, else its namespace, else {@code unknown-sender}. Identifiers local to the sender
     * are scoped by it, and the registry records it as the custodian of what the message creates;
     * a hospital's token names its organisation the same way.
     */
    public String sendingOrganisation() {
        String[] parts = split(sendingFacility, componentSeparator());
        String universal = part(parts, 1);
        String namespace = part(parts, 0);
        return !universal.isEmpty() ? universal : !namespace.isEmpty() ? namespace : "unknown-sender";
    }

    /**
     * A header value for one log line: control characters (a forged line break, a NUL) become '?'.
     * Header values are sender-controlled and end up in logs; they carry no patient data.
     */
    public static String loggable(String value) {
        return value == null ? null : value.replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * The message's text with MSH-7, the time it was sent, blanked: what a sender's resend of a
     * message has in common with the first sending, which it may stamp with a new time.
     */
    public static String withoutSendTime(String text) {
        if (text == null || !text.startsWith("MSH") || text.length() < 5) {
            return text;
        }
        char separator = text.charAt(3);
        int lineEnd = text.indexOf('\r') < 0 ? text.length() : text.indexOf('\r');
        String[] fields = split(text.substring(0, lineEnd), separator);
        if (fields.length > 6) {
            fields[6] = "";
        }
        return String.join(String.valueOf(separator), fields) + text.substring(lineEnd);
    }

    /** The component separator, normally {@code ^}. */
    public char componentSeparator() {
        return encodingCharacters.isEmpty() ? '^' : encodingCharacters.charAt(0);
    }

    // Why: MSH-1 is the separator itself, so MSH-n is at index n-1 of the split line.
    private static String field(String[] fields, int number) {
        return number - 1 < fields.length ? fields[number - 1] : "";
    }

    private static String part(String[] parts, int index) {
        return index < parts.length ? parts[index] : "";
    }

    private static String[] split(String value, char separator) {
        return value.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1);
    }
}

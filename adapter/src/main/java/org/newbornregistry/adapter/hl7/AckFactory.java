package org.newbornregistry.adapter.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.Escape;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Builds the acknowledgement of a received message, modelled on IPF's {@code NakFactory}: MSH
 * addressed back to the sender in the sender's version, MSA with the code and the sender's
 * control id, and one ERR per problem with its location, HL7 table 0357 code, severity, the
 * registry's {@code NBR-xxxx} code and a message. For versions before 2.5 the location and code
 * go into ERR-1 (and the first message into MSA-3), as those receivers read them.
 *
 * <p>Texts are escaped and stripped of line breaks; they never carry message content.
 */
public final class AckFactory {

    private static final EncodingCharacters ENCODING = new EncodingCharacters('|', "^~\\&");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ").withZone(ZoneOffset.UTC);

    private final String defaultApplication;
    private final String defaultFacility;

    /**
     * @param defaultApplication MSH-3 of ACKs to messages that do not name us in MSH-5
     * @param defaultFacility    MSH-4 of ACKs to messages that do not name us in MSH-6
     */
    public AckFactory(String defaultApplication, String defaultFacility) {
        this.defaultApplication = defaultApplication;
        this.defaultFacility = defaultFacility;
    }

    /**
     * The ACK for a message.
     *
     * @param inbound  the received header, or {@link MessageHeader#UNKNOWN} when it could not be read
     * @param code     AA, AE or AR
     * @param problems errors and warnings to report, in order
     * @param now      the ACK's MSH-7
     */
    public String ack(MessageHeader inbound, AcknowledgmentCode code, List<Hl7Problem> problems, Instant now) {
        // Why: an ACK in a version that does not exist ("2.6.1") is one the sender's parser cannot read.
        String version = MessageAcceptance.VERSIONS.contains(inbound.version()) ? inbound.version() : Hl7Parser.CANONICAL_VERSION;
        boolean modernErr = version.compareTo("2.5") >= 0;
        StringBuilder ack = new StringBuilder();
        ack.append("MSH|^~\\&|")
                .append(orDefault(addressField(inbound, inbound.receivingApplication()), defaultApplication)).append('|')
                .append(orDefault(addressField(inbound, inbound.receivingFacility()), defaultFacility)).append('|')
                .append(addressField(inbound, inbound.sendingApplication())).append('|')
                .append(addressField(inbound, inbound.sendingFacility())).append('|')
                .append(TIMESTAMP.format(now)).append("||")
                .append("ACK^").append(escape(inbound.triggerEvent())).append(modernErr ? "^ACK" : "").append('|')
                .append(newControlId()).append('|')
                .append(orDefault(escape(inbound.processingId()), "P")).append('|')
                .append(version).append('\r');
        ack.append("MSA|").append(code.name()).append('|').append(escape(inbound.controlId()));
        List<Hl7Problem> errors = problems.stream().filter(p -> !p.isWarning()).toList();
        if (!modernErr && !problems.isEmpty()) {
            // Why: before v2.5 ERR has no severity, so warnings are only counted in MSA-3.
            String text = errors.isEmpty()
                    ? "accepted with " + problems.size() + " warning(s)"
                    : errors.get(0).message();
            ack.append('|').append(escape(clean(text)));
        }
        ack.append('\r');
        for (Hl7Problem problem : modernErr ? problems : errors) {
            ack.append(modernErr ? modernErr(problem) : legacyErr(problem)).append('\r');
        }
        return ack.toString();
    }

    // ERR-2 location, ERR-3 code, ERR-4 severity, ERR-7 diagnostics, ERR-8 user message.
    private static String modernErr(Hl7Problem problem) {
        Hl7Location at = problem.location();
        String location = at == null ? "" : escape(at.segment()) + "^" + at.occurrence() + "^" + at.field()
                + (at.component() > 0 ? "^^" + at.component() : "");
        return "ERR||" + location + "|" + problem.error().hl7ErrorCode().getCode() + "^"
                + escape(problem.error().hl7ErrorCode().getMessage()) + "^HL70357|" + (problem.isWarning() ? "W" : "E")
                + "|||" + problem.error().code() + "|" + escape(clean(problem.message()));
    }

    // ERR-1 (ELD): segment^sequence^field^code&text&HL70357.
    private static String legacyErr(Hl7Problem problem) {
        Hl7Location at = problem.location();
        String location = at == null ? "^^" : escape(at.segment()) + "^" + at.occurrence() + "^" + at.field();
        return "ERR|" + location + "^" + problem.error().hl7ErrorCode().getCode() + "&"
                + escape(problem.error().hl7ErrorCode().getMessage()).replace("&", "") + "&HL70357";
    }

    /**
     * An address field of the inbound MSH (MSH-3 to MSH-6, components as sent) in the ACK's
     * encoding. Sent with the standard separators, it is echoed as it came. Sent with others (MSH-1
     * and MSH-2 are the sender's choice), its components and subcomponents are rejoined with ours
     * and everything else is escaped: copied as it came, a '|' in it would shift every field after
     * it, and the sender could not match the ACK.
     */
    private static String addressField(MessageHeader inbound, String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String encoding = inbound.encodingCharacters();
        if (inbound.fieldSeparator() == '|' && encoding.startsWith("^~\\&")) {
            return value;
        }
        String component = Pattern.quote(String.valueOf(encoding.charAt(0)));
        String subcomponent = Pattern.quote(String.valueOf(encoding.length() > 3 ? encoding.charAt(3) : encoding.charAt(0)));
        StringBuilder field = new StringBuilder();
        String[] components = value.split(component, -1);
        for (int c = 0; c < components.length; c++) {
            String[] subcomponents = components[c].split(subcomponent, -1);
            for (int s = 0; s < subcomponents.length; s++) {
                field.append(s > 0 ? "&" : "").append(escape(subcomponents[s]));
            }
            field.append(c < components.length - 1 ? "^" : "");
        }
        return field.toString();
    }

    private static String newControlId() {
        // Why: MSH-10 is at most 20 characters up to v2.4.
        return UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static String clean(String text) {
        return text == null ? "" : text.replace('\r', ' ').replace('\n', ' ');
    }

    private static String escape(String text) {
        return text == null ? "" : Escape.escape(text, ENCODING);
    }
}

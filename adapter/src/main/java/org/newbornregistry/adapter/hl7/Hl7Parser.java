package org.newbornregistry.adapter.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * HAPI's pipe parser set up for real traffic: every version from 2.3 to 2.8.2 is read into the
 * v2.6 structures (fields keep their positions across versions, so one mapping serves all),
 * without HAPI's validation (the mapping checks what it uses, and says where), and with
 * unexpected segments kept in place so that the mapping can report them. An OBX without a value
 * type (OBX-2), or with one HAPI does not know, is read with its value as ST instead of failing
 * the whole message: newborn-screening orders carry ask-at-order-entry answers that way, and the
 * mapping warns at OBX-2.
 */
public final class Hl7Parser {

    /** The structure version every message is parsed into. */
    public static final String CANONICAL_VERSION = "2.6";

    /** Versions HAPI does not name, and the version they are read as. */
    private static final Map<String, String> READ_AS = Map.of("2.8.2", "2.8.1");
    private static final Pattern LEADING_VERSION = Pattern.compile("^([0-9.]*).*$", Pattern.DOTALL);

    private final ThreadLocal<PipeParser> parsers;

    public Hl7Parser() {
        HapiContext context = new DefaultHapiContext();
        context.setModelClassFactory(new CanonicalModelClassFactory(CANONICAL_VERSION));
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setValidating(false);
        context.getParserConfiguration().setDefaultObx2Type("ST");
        context.getParserConfiguration().setInvalidObx2Type("ST");
        // Why one per thread: PipeParser caches structure definitions in plain HashMaps; one instance shared by the
        // MLLP connections lost entries when several sent their first messages at once (an NPE in getStructureDefinition).
        parsers = ThreadLocal.withInitial(() -> new PipeParser(context));
    }

    /**
     * Parses text whose segments end in CR.
     *
     * @throws MappingException {@link NbrError#HL7_DAMAGED} if HAPI cannot parse it, at the
     *                          segment and field where HAPI failed; the message names no content
     */
    public Message parse(String text) {
        String readable = withVersionHapiKnows(text);
        try {
            return parsers.get().parse(readable);
        } catch (HL7Exception e) {
            ErrorCode code = ErrorCode.errorCodeFor(e.getErrorCode());
            throw new MappingException(NbrError.HL7_DAMAGED, location(e, code),
                    "cannot be parsed as HL7 v2: " + code.getMessage().toLowerCase(Locale.ROOT) + " (" + code.getCode() + ")");
        }
    }

    /** Where HAPI failed: the segment and field it names, else the MSH field its error code is about. */
    private static Hl7Location location(HL7Exception e, ErrorCode code) {
        Location at = e.getLocation();
        if (at != null && at.getSegmentName() != null) {
            return new Hl7Location(at.getSegmentName(), Math.max(at.getSegmentRepetition(), 1), Math.max(at.getField(), 0),
                    Math.max(at.getComponent(), 0));
        }
        return switch (code) {
            case UNSUPPORTED_MESSAGE_TYPE, UNSUPPORTED_EVENT_CODE -> Hl7Location.field("MSH", 9);
            case UNSUPPORTED_PROCESSING_ID -> Hl7Location.field("MSH", 11);
            case UNSUPPORTED_VERSION_ID -> Hl7Location.field("MSH", 12);
            default -> Hl7Location.segment("MSH", 1);
        };
    }

    /**
     * The text with an MSH-12 that HAPI 2.6 does not know (2.8.2, published after it) replaced
     * by the latest version it does: HAPI refuses to parse a version it has no name for, though
     * every version is read into the same v2.6 structures.
     */
    static String withVersionHapiKnows(String text) {
        if (text.length() < 8 || !text.startsWith("MSH")) {
            return text;
        }
        char separator = text.charAt(3);
        int end = text.indexOf('\r');
        String msh = end < 0 ? text : text.substring(0, end);
        // Why: the separator at index 3 is MSH-1 and precedes MSH-2; the eleventh precedes MSH-12.
        int start = 3;
        for (int separators = 1; separators < 11 && start >= 0; separators++) {
            start = msh.indexOf(separator, start + 1);
        }
        if (start < 0) {
            return text;
        }
        int stop = msh.indexOf(separator, start + 1);
        String version = msh.substring(start + 1, stop < 0 ? msh.length() : stop);
        String number = LEADING_VERSION.matcher(version).replaceFirst("$1");
        String known = READ_AS.get(number);
        return known == null ? text : text.substring(0, start + 1) + known + text.substring(start + 1 + number.length());
    }

}

package org.newbornregistry.adapter.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;

/**
 * HAPI's pipe parser set up for real traffic: every version from 2.3 to 2.8 is read into the
 * v2.6 structures (fields keep their positions across versions, so one mapping serves all),
 * without HAPI's validation (the mapping checks what it uses, and says where), and with
 * unexpected segments kept in place so that the mapping can report them.
 */
public final class Hl7Parser {

    /** The structure version every message is parsed into. */
    public static final String CANONICAL_VERSION = "2.6";

    private final PipeParser parser;

    public Hl7Parser() {
        HapiContext context = new DefaultHapiContext();
        context.setModelClassFactory(new CanonicalModelClassFactory(CANONICAL_VERSION));
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setValidating(false);
        parser = context.getPipeParser();
    }

    /**
     * Parses text whose segments end in CR.
     *
     * @throws MappingException {@link NbrError#HL7_DAMAGED} if HAPI cannot parse it; the
     *                          message names no content
     */
    public Message parse(String text) {
        try {
            return parser.parse(text);
        } catch (HL7Exception e) {
            throw new MappingException(NbrError.HL7_DAMAGED, Hl7Location.segment("MSH", 1),
                    "the message cannot be parsed (" + e.getClass().getSimpleName() + ")");
        }
    }
}

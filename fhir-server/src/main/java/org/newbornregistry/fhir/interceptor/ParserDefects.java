package org.newbornregistry.fhir.interceptor;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

/**
 * Recognises an unchecked exception that HAPI's parser throws on a body it cannot read where it
 * should have thrown a {@link DataFormatException}. HAPI 8.8's JSON parser, for one, takes every
 * element of an {@code extension} array for an object ({@code "extension":[1]} ends in a
 * NullPointerException in {@code JsonParser.parseExtension}; found by
 * {@code FhirJsonInboundFuzzTest}). Such a body is the client's mistake, to be answered 400, not a
 * server fault answered 500.
 *
 * <p>An exception counts when {@link IParser#parseResource} is on its stack and no frame between
 * that call and the throw is the registry's own: a parser error handler of ours that fails is still
 * our fault.
 */
public final class ParserDefects {

    private static final String PARSER = "ca.uhn.fhir.parser.BaseParser";
    private static final String PARSE_RESOURCE = "parseResource";
    private static final String OWN_CODE = "org.newbornregistry.";
    /** Where HAPI's server reads the request body into a resource. */
    private static final String REQUEST_BODY_READER = "ca.uhn.fhir.rest.server.method.ResourceParameter";

    private ParserDefects() {
    }

    /** Whether {@code exception} was thrown inside HAPI's parser, below a {@code parseResource} call. */
    public static boolean thrownByParser(Throwable exception) {
        if (!(exception instanceof RuntimeException) || exception instanceof DataFormatException
                || exception instanceof BaseServerResponseException) {
            return false;
        }
        for (StackTraceElement frame : exception.getStackTrace()) {
            if (frame.getClassName().startsWith(OWN_CODE)) {
                return false;
            }
            if (frame.getClassName().equals(PARSER) && frame.getMethodName().equals(PARSE_RESOURCE)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code exception} is {@linkplain #thrownByParser a parser defect} met while reading a request body. */
    static boolean thrownReadingRequestBody(Throwable exception) {
        if (!thrownByParser(exception)) {
            return false;
        }
        for (StackTraceElement frame : exception.getStackTrace()) {
            if (frame.getClassName().equals(REQUEST_BODY_READER)) {
                return true;
            }
        }
        return false;
    }
}

package org.newbornregistry.fhir.server;

import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;

/**
 * Parser error policy for what clients send: refuse (400) whatever the parser would otherwise
 * drop or change (an unknown element or attribute, a second value of a single element, a value
 * of the wrong JSON type, a code outside its enumeration), and let through what only a
 * validator should judge (a missing required element, an unresolvable reference). HAPI's
 * {@link StrictErrorHandler} also refuses the second group, which rejects real, valid traffic:
 * a primitive carrying only an extension, as CDC's ReportStream writes them, for example.
 */
public class NoDataLossParserErrorHandler extends LenientErrorHandler {

    private static final IParserErrorHandler STRICT = new StrictErrorHandler();

    public NoDataLossParserErrorHandler() {
        super(false);
        setErrorOnInvalidValue(true);
        setErrorOnInvalidExtension(true);
    }

    @Override
    public void unknownElement(IParseLocation location, String elementName) {
        STRICT.unknownElement(location, elementName);
    }

    @Override
    public void unknownAttribute(IParseLocation location, String attributeName) {
        STRICT.unknownAttribute(location, attributeName);
    }

    @Override
    public void unexpectedRepeatingElement(IParseLocation location, String elementName) {
        STRICT.unexpectedRepeatingElement(location, elementName);
    }

    @Override
    public void incorrectJsonType(IParseLocation location, String elementName, ValueType expected,
                                  ScalarType expectedScalarType, ValueType found, ScalarType foundScalarType) {
        STRICT.incorrectJsonType(location, elementName, expected, expectedScalarType, found, foundScalarType);
    }
}

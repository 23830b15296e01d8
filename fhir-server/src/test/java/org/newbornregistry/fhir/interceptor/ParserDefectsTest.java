package org.newbornregistry.fhir.interceptor;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.StrictErrorHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ParserDefectsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void shouldRecogniseUncheckedExceptionThrownInsideHapisParser() {
        // when
        Throwable thrown = catchThrowable(() -> FHIR.newJsonParser()
                .parseResource("{\"resourceType\":\"Patient\",\"extension\":[{\"url\":\"http://example.org/x\",\"extension\":[1]}]}"));

        // then: if HAPI fixes its parser this turns into a DataFormatException and the class can go
        assertThat(thrown).isInstanceOf(NullPointerException.class);
        assertThat(ParserDefects.thrownByParser(thrown)).isTrue();
        assertThat(ParserDefects.thrownReadingRequestBody(thrown)).as("not read by the server").isFalse();
    }

    @Test
    void shouldNotCountTheParsersOwnDataFormatException() {
        // when
        Throwable thrown = catchThrowable(() -> FHIR.newJsonParser().parseResource("{\"resourceType\":\"Patient\",\"name\":["));

        // then
        assertThat(thrown).isInstanceOf(DataFormatException.class);
        assertThat(ParserDefects.thrownByParser(thrown)).isFalse();
    }

    @Test
    void shouldNotCountAFailureOfTheRegistrysOwnCodeCalledByTheParser() {
        // given: an error handler of ours that fails is our fault, not the body's
        IParserErrorHandler failing = new FailingErrorHandler();

        // when
        Throwable thrown = catchThrowable(() -> FHIR.newJsonParser().setParserErrorHandler(failing)
                .parseResource("{\"resourceType\":\"Patient\",\"nickname\":\"x\"}"));

        // then
        assertThat(thrown).isInstanceOf(IllegalStateException.class);
        assertThat(ParserDefects.thrownByParser(thrown)).isFalse();
    }

    @Test
    void shouldNotCountExceptionsThrownOutsideTheParser() {
        assertThat(ParserDefects.thrownByParser(new NullPointerException())).isFalse();
    }

    private static final class FailingErrorHandler extends StrictErrorHandler {
        @Override
        public void unknownElement(IParseLocation location, String elementName) {
            throw new IllegalStateException("handler failed");
        }
    }
}

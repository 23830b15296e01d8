package org.newbornregistry.fhir.interceptor;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class SafeErrorInterceptorTest {

    private static final String SENTINEL = "Key (value)=(MRN-SENTINEL-4411) already exists";

    private final SafeErrorInterceptor interceptor = new SafeErrorInterceptor();

    @Test
    void shouldTurnUnexpectedExceptionIntoReferencedInternalErrorWithoutItsMessage(CapturedOutput output) {
        // given
        RuntimeException failure = new IllegalStateException("wrapped", new SQLException(SENTINEL));

        // when
        BaseServerResponseException safe = interceptor.serverPreProcessOutgoingException(null, failure);

        // then
        assertThat(safe.getStatusCode()).isEqualTo(500);
        assertThat(safe.getMessage()).startsWith("NBR-9999").doesNotContain("MRN-SENTINEL");
        assertThat(output.getAll()).contains("java.sql.SQLException").doesNotContain("MRN-SENTINEL");
        String reference = safe.getMessage().replaceAll(".*reference ([0-9a-f-]+).*", "$1");
        assertThat(output.getAll()).contains(reference);
    }

    @Test
    void shouldMaskQuotedValuesInHapiErrorsButKeepElementNames() {
        // given
        InvalidRequestException parserError = new InvalidRequestException(
                "HAPI-0450: Failed to parse. Error was: [element=\"birthDate\"] Invalid attribute value \"2019-02-30\"");
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setDiagnostics(parserError.getMessage());
        parserError.setOperationOutcome(outcome);

        // when
        BaseServerResponseException safe = interceptor.serverPreProcessOutgoingException(null, parserError);

        // then
        assertThat(safe.getStatusCode()).isEqualTo(400);
        assertThat(safe.getMessage()).contains("element=\"birthDate\"").doesNotContain("2019-02-30");
        assertThat(((OperationOutcome) safe.getOperationOutcome()).getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                .isEqualTo("NBR-1001");
    }

    @Test
    void shouldPassRegistryErrorsThroughUnchanged() {
        // given
        BaseServerResponseException registryError = org.newbornregistry.fhir.error.RegistryErrors.exception(
                org.newbornregistry.adapter.error.NbrError.VERSION_CONFLICT, "stale");

        // when / then
        assertThat(interceptor.serverPreProcessOutgoingException(null, registryError)).isSameAs(registryError);
    }
}

package org.newbornregistry.routes.conformance;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The suite's validator finds an invalid body among valid ones and names the request it answered. */
class ResponseValidatorIT extends ConformanceTestSupport {

    @Test
    void shouldNameTheRequestAndLocationWhenOneOfSeveralBodiesIsInvalid() {
        // given
        session.validator.validate("GET /fhir/Patient/valid", "{\"resourceType\":\"Patient\",\"gender\":\"female\"}");
        session.validator.validate("GET /fhir/Patient/invalid", "{\"resourceType\":\"Patient\",\"gender\":\"girl\"}");
        session.validator.validate("GET /fhir/metadata", "<OperationOutcome xmlns=\"http://hl7.org/fhir\"><issue>"
                + "<severity value=\"error\"/><code value=\"processing\"/></issue></OperationOutcome>");

        // when
        AssertionError failure = assertThrows(AssertionError.class, session.validator::assertAllValid);

        // then
        assertThat(failure.getMessage()).contains("GET /fhir/Patient/invalid: Patient.gender").doesNotContain("Patient/valid")
                .doesNotContain("metadata");
        session.validator.assertAllValid();
    }
}

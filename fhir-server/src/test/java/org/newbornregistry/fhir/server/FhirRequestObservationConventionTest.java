package org.newbornregistry.fhir.server;

import ca.uhn.fhir.context.FhirContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** FHIR paths become route templates with no id in them and no value a client could invent. */
class FhirRequestObservationConventionTest {

    private static final FhirRequestObservationConvention CONVENTION =
            new FhirRequestObservationConvention("/fhir", FhirContext.forR4Cached());

    @ParameterizedTest
    @CsvSource({
            "'',                                    /fhir",
            "/,                                     /fhir",
            "/metadata,                             /fhir/metadata",
            "/Patient,                              /fhir/Patient",
            "/Patient/_search,                      /fhir/Patient/_search",
            "/Patient/8c1f-id,                      /fhir/Patient/{id}",
            "/Patient/8c1f-id/_history,             /fhir/Patient/{id}/_history",
            "/Patient/8c1f-id/_history/3,           /fhir/Patient/{id}/_history/{vid}",
            "/Patient/$reidentify,                  /fhir/Patient/$reidentify",
            "/Patient/8c1f-id/$everything,          /fhir/Patient/{id}/$everything",
            "/$made-up-operation,                   /fhir/{operation}",
            "/NoSuchType/123,                       /fhir/{type}/{id}",
            "/Patient//8c1f-id,                     /fhir/Patient/{id}",
            "/Patient/1/_history/2/extra/segments,  /fhir/Patient/{id}/_history/{vid}"
    })
    void shouldNameAPathByWhatEachSegmentIs(String path, String template) {
        assertThat(CONVENTION.template(path)).isEqualTo(template);
    }
}

package org.newbornregistry.fhir.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** FHIR paths become one of a fixed set of route templates and types, whatever a client sends. */
class FhirRequestObservationConventionTest {

    private static final FhirRequestObservationConvention CONVENTION =
            new FhirRequestObservationConvention("/fhir", Set.of("Patient", "Consent", "StructureDefinition"));

    @ParameterizedTest
    @CsvSource({
            "'',                                    /fhir,                              none",
            "/,                                     /fhir,                              none",
            "/metadata,                             /fhir/metadata,                     none",
            "/_history,                             /fhir/_history,                     none",
            "/_made-up,                             /fhir/**,                           none",
            "/Patient,                              /fhir/{type},                       Patient",
            "/Patient/_search,                      /fhir/{type}/_search,               Patient",
            "/Patient/_history,                     /fhir/{type}/_history,              Patient",
            "/Patient/8c1f-id,                      /fhir/{type}/{id},                  Patient",
            "/Patient/8c1f-id/_history,             /fhir/{type}/{id}/_history,         Patient",
            "/Patient/8c1f-id/_history/3,           /fhir/{type}/{id}/_history/{vid},   Patient",
            "/Patient/$reidentify,                  /fhir/{type}/$reidentify,           Patient",
            "/Patient/8c1f-id/$everything,          /fhir/{type}/{id}/$everything,      Patient",
            "/Patient/8c1f-id/$made-up,             /fhir/{type}/{id}/{operation},      Patient",
            "/$made-up-operation,                   /fhir/{operation},                  none",
            "/NoSuchType/123,                       /fhir/{type}/{id},                  other",
            "/Observation,                          /fhir/{type},                       other",
            "/Patient//8c1f-id,                     /fhir/{type}/{id},                  Patient",
            "/Patient/1/_history/2/extra/segments,  /fhir/**,                           Patient",
            "/Patient/1/something,                  /fhir/**,                           Patient"
    })
    void shouldNameAPathByWhatEachSegmentIs(String path, String template, String resource) {
        assertThat(CONVENTION.template(path)).isEqualTo(template);
        assertThat(CONVENTION.resource(path)).isEqualTo(resource);
    }

    @Test
    void shouldKeepTheTemplatesToAFewWhateverPathsAClientMakesUp() {
        // given
        Random random = new Random(20261130);
        String[] pieces = {"Patient", "Consent", "x", "$op", "$reidentify", "_history", "_search", "metadata", "1", ""};
        Set<String> templates = new HashSet<>();

        // when
        for (int i = 0; i < 100_000; i++) {
            StringBuilder path = new StringBuilder();
            for (int n = random.nextInt(7); n > 0; n--) {
                path.append('/').append(pieces[random.nextInt(pieces.length)]);
                if (random.nextInt(4) == 0) {
                    path.append(random.nextInt(1000));
                }
            }
            templates.add(CONVENTION.template(path.toString()));
        }

        // then: 13 shapes, 3 of which take one of 4 operation names or {operation}: 25 at most, and the
        // Spring MVC URIs stay far below Spring Boot's limit of 100 uri values
        assertThat(templates).hasSizeLessThanOrEqualTo(25);
    }
}

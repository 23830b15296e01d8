package org.newbornregistry.adapter.consent;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsentGiverTest {

    @ParameterizedTest(name = "{0}|{1} → {2}")
    @CsvSource({
            "http://terminology.hl7.org/CodeSystem/v3-RoleCode, MTH, PARENT_OR_GUARDIAN",
            "http://terminology.hl7.org/CodeSystem/v3-RoleCode, GUARD, PARENT_OR_GUARDIAN",
            "http://terminology.hl7.org/CodeSystem/v3-RoleCode, ADOPTP, PARENT_OR_GUARDIAN",
            "http://terminology.hl7.org/CodeSystem/v2-0063, GRD, PARENT_OR_GUARDIAN",
            "http://terminology.hl7.org/CodeSystem/v3-RoleCode, GRMTH, OTHER",
            "http://terminology.hl7.org/CodeSystem/v3-RoleCode, STPPRN, OTHER",
            "http://example.org/local, MTH, OTHER"
    })
    void shouldTellParentsAndGuardiansFromOthers(String system, String code, ConsentGiver expected) {
        assertThat(ConsentGiver.ofRelationships(List.of(new CodeableConcept(new Coding(system, code, null))))).isEqualTo(expected);
    }
}

package org.newbornregistry.adapter.mapping;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import org.hl7.fhir.r4.model.CodeSystem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IdentifierTypesTest {

    @Test
    void shouldKnowExactlyTheCodesOfTable0203AsTheValidatorDoes() {
        // given: the code system the official validator checks identifier types against
        CodeSystem table = (CodeSystem) new DefaultProfileValidationSupport(FhirContext.forR4Cached())
                .fetchCodeSystem(IdentifierTypes.V2_0203);

        // when
        List<String> codes = new ArrayList<>();
        collect(table.getConcept(), codes);

        // then
        assertThat(IdentifierTypes.TABLE_0203).containsExactlyInAnyOrderElementsOf(codes);
    }

    private static void collect(List<CodeSystem.ConceptDefinitionComponent> concepts, List<String> codes) {
        for (CodeSystem.ConceptDefinitionComponent concept : concepts) {
            codes.add(concept.getCode());
            collect(concept.getConcept(), codes);
        }
    }
}

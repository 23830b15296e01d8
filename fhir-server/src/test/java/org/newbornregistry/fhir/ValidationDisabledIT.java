package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.api.MethodOutcome;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code nbr.fhir.validation.enabled=false} the registry stores what clients send without validating it. */
@SpringBootTest(classes = RegistryTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "nbr.fhir.validation.enabled=false")
class ValidationDisabledIT extends RegistryIntegrationSupport {

    @Test
    void shouldStoreGenotypeTheProfileRefusesWhenValidationIsOff() {
        // given: no specimen and a malformed allele, both refused with validation on
        Observation genotype = Fixtures.genotype(uniqueSystem(), "G-OFF", null);
        genotype.getComponentFirstRep().setValue(new StringType("9.33"));

        // when
        MethodOutcome outcome = client.create().resource(genotype).execute();

        // then
        assertThat(outcome.getCreated()).isTrue();
        Observation stored = client.read().resource(Observation.class).withId(outcome.getId().getIdPart()).execute();
        assertThat(stored.getComponentFirstRep().getValueStringType().getValue()).isEqualTo("9.33");
    }

    @Test
    void shouldStillServeTheConformancePackage() {
        // when
        StructureDefinition genotype = client.read().resource(StructureDefinition.class).withId("nbr-str-genotype").execute();

        // then
        assertThat(genotype.hasSnapshot()).isTrue();
    }
}

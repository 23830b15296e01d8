package org.newbornregistry.adapter.genotype;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionDesignationComponent;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.NbrCanonical;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The STR locus CodeSystem the conformance package publishes (and the genotype profile binds
 * component codes to) and the {@link StrLocus} model the HL7 mapping uses agree both ways: same
 * codes, displays and CODIS core flags, and the senders' aliases as designations.
 */
class StrLocusCodeSystemTest {

    private static final CodeSystem LOCI = read();

    @Test
    void shouldListEveryLocusOfTheModelWithItsCodeDisplayAliasesAndCoreFlag() {
        for (StrLocus locus : StrLocus.values()) {
            // when
            Optional<ConceptDefinitionComponent> concept = concept(locus.code());

            // then
            assertThat(concept).as(locus.name()).isPresent();
            assertThat(concept.get().getDisplay()).as(locus.name()).isEqualTo(locus.cmfName());
            assertThat(designations(concept.get())).as(locus.name())
                    .containsExactlyInAnyOrderElementsOf(locus.aliases().stream().filter(a -> !a.equals(locus.cmfName())).toList());
            assertThat(concept.get().getProperty()).filteredOn(p -> p.getCode().equals("codis-core"))
                    .extracting(p -> p.getValueBooleanType().booleanValue()).as(locus.name())
                    .containsExactly(StrLocus.CODIS_CORE.contains(locus));
        }
    }

    @Test
    void shouldNameOnlyLociOfTheModelWithDesignationsThatResolveToTheirOwnLocus() {
        for (ConceptDefinitionComponent concept : LOCI.getConcept()) {
            // when
            Optional<StrLocus> locus = StrLocus.find(concept.getCode());

            // then
            assertThat(locus).as(concept.getCode()).isPresent();
            assertThat(locus.get().code()).isEqualTo(concept.getCode());
            for (String designation : designations(concept)) {
                assertThat(StrLocus.find(designation)).as(designation).contains(locus.get());
            }
        }
        assertThat(LOCI.getConcept()).hasSize(StrLocus.values().length);
        assertThat(LOCI.getCount()).isEqualTo(StrLocus.values().length);
        assertThat(LOCI.getConcept().stream().map(ConceptDefinitionComponent::getCode).collect(Collectors.toSet()))
                .hasSize(StrLocus.values().length);
    }

    @Test
    void shouldBeTheCodeSystemTheMappingWritesAndCompleteWithTheCodisCore() {
        assertThat(LOCI.getUrl()).isEqualTo(NbrCanonical.STR_LOCUS_SYSTEM);
        assertThat(LOCI.getContent()).isEqualTo(CodeSystem.CodeSystemContentMode.COMPLETE);
        assertThat(LOCI.getCaseSensitive()).isTrue();
        assertThat(Arrays.stream(StrLocus.values()).filter(StrLocus.CODIS_CORE::contains)).hasSize(20);
    }

    private static Optional<ConceptDefinitionComponent> concept(String code) {
        return LOCI.getConcept().stream().filter(c -> c.getCode().equals(code)).findFirst();
    }

    private static List<String> designations(ConceptDefinitionComponent concept) {
        return concept.getDesignation().stream()
                .peek(d -> assertThat(d.getUse().getCode()).as("designation use of " + concept.getCode()).isEqualTo("900000000000013009"))
                .map(ConceptDefinitionDesignationComponent::getValue).toList();
    }

    private static CodeSystem read() {
        String path = "/" + NbrCanonical.PACKAGE_PATH + "/CodeSystem-str-locus.json";
        try (InputStream in = StrLocusCodeSystemTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return FhirContext.forR4Cached().newJsonParser().parseResource(CodeSystem.class, in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package org.newbornregistry.adapter.index;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.FhirExamples;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two rules of what an STR genotype is: the registry's (LOINC 84413-4, which selects the
 * profile and the index submission) and the protective one (anything that may carry alleles,
 * which masking and the trail's wording use), on the project's example genotype and look-alikes.
 */
class StrGenotypesTest {

    private static Observation exampleGenotype() {
        Bundle transaction = FhirContext.forR4Cached().newJsonParser()
                .parseResource(Bundle.class, FhirExamples.story().json("str-genotype-transaction.json"));
        List<Observation> genotypes = transaction.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Observation.class::isInstance).map(Observation.class::cast).toList();
        assertThat(genotypes).hasSize(1);
        return genotypes.get(0);
    }

    @Test
    void shouldTakeTheExampleGenotypeForAReportableGenotypeUnderBothRules() {
        Observation genotype = exampleGenotype();

        assertThat(StrGenotypes.isGenotype(genotype)).isTrue();
        assertThat(StrGenotypes.mayCarryAlleles(genotype)).isTrue();
        assertThat(StrGenotypes.isReportable(genotype)).isTrue();
    }

    @Test
    void shouldProtectLookAlikesTheRegistryDoesNotTreatAsGenotypes() {
        Observation otherSystem = new Observation();
        otherSystem.getCode().addCoding(new Coding("http://example.org/local-codes", NbrCanonical.STR_GENOTYPE_CODE, null));
        Observation lociOnly = new Observation();
        lociOnly.getCode().addCoding(new Coding("http://loinc.org", "12345-6", null));
        lociOnly.addComponent().setCode(new CodeableConcept(new Coding(NbrCanonical.STR_LOCUS_SYSTEM, "TH01", null)))
                .setValue(new StringType("9.3"));

        assertThat(StrGenotypes.isGenotype(otherSystem)).isFalse();
        assertThat(StrGenotypes.mayCarryAlleles(otherSystem)).isTrue();
        assertThat(StrGenotypes.isGenotype(lociOnly)).isFalse();
        assertThat(StrGenotypes.mayCarryAlleles(lociOnly)).isTrue();
    }

    @Test
    void shouldLeaveOtherResultsAlone() {
        Observation weight = new Observation();
        weight.getCode().addCoding(new Coding("http://loinc.org", "29463-7", "Body weight"));

        assertThat(StrGenotypes.isGenotype(weight)).isFalse();
        assertThat(StrGenotypes.mayCarryAlleles(weight)).isFalse();
        assertThat(StrGenotypes.isGenotypeCode(new CodeableConcept(new Coding("http://loinc.org", "84413-4", null)))).isTrue();
        assertThat(StrGenotypes.CODE_TOKEN).isEqualTo("http://loinc.org|84413-4");
    }

    @Test
    void shouldReportOnlyFinalCorrectedOrAmendedGenotypes() {
        Observation genotype = exampleGenotype();

        Set<Observation.ObservationStatus> reportable = EnumSet.of(Observation.ObservationStatus.FINAL,
                Observation.ObservationStatus.CORRECTED, Observation.ObservationStatus.AMENDED);

        for (Observation.ObservationStatus status : EnumSet.complementOf(EnumSet.of(Observation.ObservationStatus.NULL))) {
            genotype.setStatus(status);
            assertThat(StrGenotypes.isReportable(genotype)).as(status.name()).isEqualTo(reportable.contains(status));
        }
    }
}

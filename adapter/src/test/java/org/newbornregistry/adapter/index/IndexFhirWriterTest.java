package org.newbornregistry.adapter.index;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.genotype.LocusGenotype;
import org.newbornregistry.adapter.genotype.StrLocus;
import org.newbornregistry.conformance.NbrCanonical;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IndexFhirWriterTest {

    @Test
    void shouldSendTheGenotypeUnderThePseudonymWithoutAnyPersonResource() {
        // given
        IndexSubmission submission = new IndexSubmission("MDSDCWI64C3H6DMKE2VMX5NX", "GlobalFiler",
                Instant.parse("2024-05-09T17:00:00Z"), List.of(LocusGenotype.of(StrLocus.TH01, List.of("6", "9.3")),
                LocusGenotype.of(StrLocus.AMELOGENIN, List.of("X"))), false);

        // when
        Bundle bundle = new IndexFhirWriter().write(submission);

        // then
        assertThat(bundle.getEntry()).extracting(e -> e.getResource().fhirType()).containsExactly("Specimen", "Observation");
        assertThat(bundle.getEntry()).extracting(e -> e.getRequest().getUrl()).allSatisfy(url ->
                assertThat(url).endsWith("?identifier=" + NbrCanonical.INDEX_PSEUDONYM_SYSTEM + "|MDSDCWI64C3H6DMKE2VMX5NX"));
        Observation genotype = (Observation) bundle.getEntry().get(1).getResource();
        assertThat(genotype.getSubject().hasReference()).as("no Patient, only the pseudonym").isFalse();
        assertThat(genotype.getSubject().getIdentifier().getValue()).isEqualTo("MDSDCWI64C3H6DMKE2VMX5NX");
        assertThat(genotype.getComponentFirstRep().getValueStringType().getValue()).isEqualTo("6,9.3");
        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle);
        assertThat(json).doesNotContain("Patient", "RelatedPerson", "birthDate", "\"name\"");
    }
}

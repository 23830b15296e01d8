package org.newbornregistry.adapter.index;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Observation;
import org.newbornregistry.conformance.NbrCanonical;

/**
 * What counts as an STR genotype, in one place. Two rules, on purpose of different strictness:
 * what the registry treats as a genotype (profile, submission to the index, mapping of a lab's
 * panel) is an Observation coded LOINC 84413-4; what it protects as one (masking, the trail's
 * wording) is anything that may carry alleles — that code in any system, or a component at an
 * STR locus — since a look-alike hides no less genetic data.
 */
public final class StrGenotypes {

    public static final String LOINC = "http://loinc.org";
    /** The genotype's code, as a search token ({@code code=} of an Observation search). */
    public static final String CODE_TOKEN = LOINC + "|" + NbrCanonical.STR_GENOTYPE_CODE;

    private StrGenotypes() {
    }

    /** Whether a code (an Observation's, or an OBR-4 panel's) is LOINC 84413-4, the STR genotype. */
    public static boolean isGenotypeCode(CodeableConcept code) {
        return code.getCoding().stream().anyMatch(c -> LOINC.equals(c.getSystem()) && NbrCanonical.STR_GENOTYPE_CODE.equals(c.getCode()));
    }

    /** Whether an Observation is an STR genotype: coded LOINC 84413-4. */
    public static boolean isGenotype(Observation observation) {
        return isGenotypeCode(observation.getCode());
    }

    /** Whether an Observation may carry alleles: coded 84413-4 in any system, or with a component at an STR locus. */
    public static boolean mayCarryAlleles(Observation observation) {
        return observation.getCode().getCoding().stream().anyMatch(c -> NbrCanonical.STR_GENOTYPE_CODE.equals(c.getCode()))
                || observation.getComponent().stream().anyMatch(component -> component.getCode().getCoding().stream()
                .anyMatch(code -> NbrCanonical.STR_LOCUS_SYSTEM.equals(code.getSystem())));
    }

    /** Whether a genotype is a result the index may receive: final, or corrected or amended after it was final. */
    public static boolean isReportable(Observation genotype) {
        return genotype.getStatus() == Observation.ObservationStatus.FINAL
                || genotype.getStatus() == Observation.ObservationStatus.CORRECTED
                || genotype.getStatus() == Observation.ObservationStatus.AMENDED;
    }
}

package org.newbornregistry.adapter.consent;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

import java.util.Collection;
import java.util.Set;

/** Who gave a consent, as far as the registry's rules care. */
public enum ConsentGiver {
    /** A parent or legal guardian of the newborn. */
    PARENT_OR_GUARDIAN,
    /** The registered child, grown up. */
    SELF,
    /** Anyone else: a clinician, a relative without custody. Their consent does not count. */
    OTHER;

    /** v3 RoleCode codes of parents and legal guardians. */
    static final Set<String> V3_PARENT_OR_GUARDIAN = Set.of("PRN", "NPRN", "MTH", "FTH", "NMTH", "NFTH", "ADOPTP", "ADOPTM",
            "ADOPTF", "GESTM", "GUARD");
    /** HL7 v2 table 0063 codes of parents and legal guardians. */
    static final Set<String> V2_PARENT_OR_GUARDIAN = Set.of("MTH", "FTH", "PAR", "GRD");

    private static final String V3_ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";
    private static final String V2_0063 = "http://terminology.hl7.org/CodeSystem/v2-0063";

    /** The giver a RelatedPerson's relationships make; OTHER unless one names a parent or guardian. */
    public static ConsentGiver ofRelationships(Collection<CodeableConcept> relationships) {
        for (CodeableConcept relationship : relationships) {
            for (Coding coding : relationship.getCoding()) {
                if (V3_ROLE_CODE.equals(coding.getSystem()) && V3_PARENT_OR_GUARDIAN.contains(coding.getCode())
                        || V2_0063.equals(coding.getSystem()) && V2_PARENT_OR_GUARDIAN.contains(coding.getCode())) {
                    return PARENT_OR_GUARDIAN;
                }
            }
        }
        return OTHER;
    }
}

package org.newbornregistry.fhir.validation;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Specimen;
import org.newbornregistry.adapter.index.StrGenotypes;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry's rule for which of its profiles a resource must meet, whatever its
 * {@code meta.profile} declares: what the registry acts on must have the shape it relies on, even
 * when the sender did not claim it.
 * <ul>
 *   <li>Observation coded LOINC 84413-4 (an STR genotype) → {@code nbr-str-genotype};</li>
 *   <li>Consent → {@code nbr-consent};</li>
 *   <li>Specimen of type SNOMED CT 440500007 (a blood spot) → {@code nbr-blood-spot-specimen};</li>
 *   <li>RelatedPerson with relationship v3 RoleCode MTH (a mother) → {@code nbr-mother}.</li>
 * </ul>
 * Anything else is held to base R4 and the profiles it declares.
 */
public final class ProfileSelector {

    static final String LOINC = "http://loinc.org";
    static final String SNOMED = "http://snomed.info/sct";
    static final String ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";

    private ProfileSelector() {
    }

    /** The registry profiles {@code resource} must meet besides those it declares. */
    public static List<String> select(IBaseResource resource) {
        List<String> profiles = new ArrayList<>(1);
        if (resource instanceof Observation observation && StrGenotypes.isGenotype(observation)) {
            profiles.add(NbrCanonical.STR_GENOTYPE);
        } else if (resource instanceof Consent) {
            profiles.add(NbrCanonical.CONSENT);
        } else if (resource instanceof Specimen specimen && has(specimen.getType(), SNOMED, "440500007")) {
            profiles.add(NbrCanonical.BLOOD_SPOT_SPECIMEN);
        } else if (resource instanceof RelatedPerson person
                && person.getRelationship().stream().anyMatch(r -> has(r, ROLE_CODE, "MTH"))) {
            profiles.add(NbrCanonical.MOTHER);
        }
        return profiles;
    }

    /** The profiles to validate {@code resource} against explicitly: {@link #select}, less those it already declares. */
    public static List<String> undeclared(IBaseResource resource) {
        List<String> profiles = new ArrayList<>(select(resource));
        resource.getMeta().getProfile().forEach(declared -> profiles.remove(declared.getValue()));
        return profiles;
    }

    private static boolean has(CodeableConcept concept, String system, String code) {
        return concept.getCoding().stream().anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
    }
}

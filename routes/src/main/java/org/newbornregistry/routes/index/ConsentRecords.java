package org.newbornregistry.routes.index;

import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.newbornregistry.adapter.consent.ConsentGiver;
import org.newbornregistry.adapter.consent.GivenConsent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The consents about a newborn with who gave each, resolved from the registry for the pure
 * {@link org.newbornregistry.adapter.consent.ConsentPolicy}: a RelatedPerson by her
 * relationship to the newborn, a Patient that is the newborn herself as SELF, another Patient
 * (the mother's own record) by the RelatedPerson her record links to.
 */
final class ConsentRecords {

    private final RegistryLookups lookups;

    ConsentRecords(RegistryLookups lookups) {
        this.lookups = lookups;
    }

    List<GivenConsent> about(String patientId) {
        List<GivenConsent> given = new ArrayList<>();
        for (Consent consent : lookups.search(Consent.class, Map.of("patient", new String[]{"Patient/" + patientId}))) {
            given.add(new GivenConsent(consent, giver(consent, patientId)));
        }
        return given;
    }

    /** The most entitled of a consent's performers. */
    private ConsentGiver giver(Consent consent, String patientId) {
        ConsentGiver best = ConsentGiver.OTHER;
        for (Reference performer : consent.getPerformer()) {
            ConsentGiver giver = giver(performer, patientId);
            if (giver != ConsentGiver.OTHER) {
                best = giver;
            }
            if (giver == ConsentGiver.PARENT_OR_GUARDIAN) {
                return giver;
            }
        }
        return best;
    }

    /** The relationship to the newborn of the RelatedPerson who shares an identifier with this Patient. */
    private ConsentGiver sameAs(Patient performer, String patientId) {
        for (RelatedPerson person : lookups.search(RelatedPerson.class, Map.of("patient", new String[]{"Patient/" + patientId}))) {
            boolean same = person.getIdentifier().stream().anyMatch(theirs -> theirs.hasSystem() && performer.getIdentifier().stream()
                    .anyMatch(ours -> theirs.getSystem().equals(ours.getSystem()) && theirs.getValue().equals(ours.getValue())));
            if (same && ConsentGiver.ofRelationships(person.getRelationship()) == ConsentGiver.PARENT_OR_GUARDIAN) {
                return ConsentGiver.PARENT_OR_GUARDIAN;
            }
        }
        return ConsentGiver.OTHER;
    }

    private ConsentGiver giver(Reference performer, String patientId) {
        String reference = performer.getReferenceElement().toUnqualifiedVersionless().getValue();
        if (reference == null) {
            return ConsentGiver.OTHER;
        }
        if (reference.equals("Patient/" + patientId)) {
            return ConsentGiver.SELF;
        }
        if (reference.startsWith("RelatedPerson/")) {
            return lookups.read(RelatedPerson.class, reference)
                    .filter(person -> person.getPatient().getReferenceElement().getIdPart() != null
                            && person.getPatient().getReferenceElement().getIdPart().equals(patientId))
                    .map(person -> ConsentGiver.ofRelationships(person.getRelationship()))
                    .orElse(ConsentGiver.OTHER);
        }
        if (reference.startsWith("Patient/")) {
            // Why: the mother's own record links to the RelatedPerson of one child only; for her
            // twin it is the same person by identifier, not by link.
            return lookups.read(Patient.class, reference).map(patient -> sameAs(patient, patientId)).orElse(ConsentGiver.OTHER);
        }
        return ConsentGiver.OTHER;
    }
}

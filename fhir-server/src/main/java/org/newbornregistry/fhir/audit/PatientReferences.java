package org.newbornregistry.fhir.audit;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

import java.util.Collection;

/** The patients a resource is about: itself if it is a Patient, else every Patient it refers to. */
final class PatientReferences {

    private final FhirContext fhir;

    PatientReferences(FhirContext fhir) {
        this.fhir = fhir;
    }

    void collect(IBaseResource resource, Collection<String> into) {
        if (resource instanceof Patient patient && patient.getIdElement().getIdPart() != null) {
            into.add(patient.getIdElement().getIdPart());
            return;
        }
        for (Reference reference : fhir.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            if ("Patient".equals(reference.getReferenceElement().getResourceType()) && reference.getReferenceElement().getIdPart() != null) {
                into.add(reference.getReferenceElement().getIdPart());
            }
        }
    }
}

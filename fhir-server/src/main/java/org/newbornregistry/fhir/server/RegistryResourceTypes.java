package org.newbornregistry.fhir.server;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;

import java.util.List;

/**
 * The resource types the registry holds: newborns and their mothers, the encounters, orders,
 * specimens and results around them, consents, and the provenance and audit records of it all.
 * PractitionerRole and Location are here because the HL7 V2-to-FHIR maps and real senders refer
 * to them from orders, results and encounters.
 */
public final class RegistryResourceTypes {

    /** Every type, in the order the CapabilityStatement lists them. */
    public static final List<Class<? extends Resource>> ALL = List.of(
            Patient.class, RelatedPerson.class, Encounter.class, Organization.class, Practitioner.class,
            PractitionerRole.class, Location.class, Specimen.class, ServiceRequest.class, Observation.class,
            DiagnosticReport.class, Consent.class, Provenance.class, AuditEvent.class, Device.class);

    /**
     * The types the generic resource store holds: all but AuditEvent, which has a store of its own
     * (written only by the registry, searched by its own columns).
     */
    public static final List<Class<? extends Resource>> STORED = ALL.stream().filter(type -> type != AuditEvent.class).toList();

    private RegistryResourceTypes() {
    }
}

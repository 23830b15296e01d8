package org.newbornregistry.adapter.audit;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.newbornregistry.conformance.NbrCanonical;

import java.time.Instant;
import java.util.Date;

/**
 * The audit events of the way to the national index, shaped after IHE Basic Audit Log Patterns:
 * a submission is a privacy disclosure at the source (DICOM 110106 Export, ISO 21089 disclose), a
 * delete request at the index and the local erasure are ISO 21089 destroy events, and each says
 * which newborn (patient entity) and which genotype (data entity) it concerns. A consent decision
 * that stopped a submission, and the cancellation of queued submissions, are recorded too.
 *
 * <p>No event names the pseudonym: the audit log is read by auditors, and a pseudonym beside the
 * newborn's record is exactly the link that re-identification guards. Outcome descriptions are
 * codes and counts, never values.
 */
public final class IndexAuditEvents {

    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String LIFECYCLE = "http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle";
    static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    static final String PURPOSE = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    /** The registry's own event codes, beside the BALP ones, so that auditors can filter the index's events. */
    public static final String EVENT_SYSTEM = NbrCanonical.BASE + "/CodeSystem/registry-audit-event";

    /** Identifier system of the investigators' case references. */
    public static final String CASE_SYSTEM = NbrCanonical.BASE + "/sid/investigation-case";

    private final String destinationOri;
    private final String destinationUrl;

    /**
     * @param destinationOri the index's ORI (CMF destination)
     * @param destinationUrl where the index is reached
     */
    public IndexAuditEvents(String destinationOri, String destinationUrl) {
        this.destinationOri = destinationOri;
        this.destinationUrl = destinationUrl;
    }

    /** How a step ended, in BALP's outcome codes. */
    public enum Outcome {
        SUCCESS(AuditEventOutcome._0),
        /** Failed, will be retried. */
        RETRY(AuditEventOutcome._4),
        /** Failed for good (parked, refused). */
        FAILED(AuditEventOutcome._8);

        private final AuditEventOutcome code;

        Outcome(AuditEventOutcome code) {
            this.code = code;
        }
    }

    /** A genotype sent to the index (or an attempt to). */
    public AuditEvent submission(Instant at, Outcome outcome, String description, String patientId, String genotypeVersion) {
        AuditEvent event = base(at, "index-submission", "Submission to the national DNA index", outcome, description,
                AuditEventAction.C, new Coding(DCM, "110106", "Export"), new Coding(LIFECYCLE, "disclose", "Disclose Record Lifecycle Event"));
        withRecipient(event);
        patient(event, patientId);
        data(event, genotypeVersion);
        return event;
    }

    /** A submission not sent because consent did not permit it at the moment of sending. */
    public AuditEvent submissionWithheld(Instant at, String reasonCode, String patientId, String genotypeVersion) {
        AuditEvent event = base(at, "index-submission-withheld", "Submission withheld: no consent at the moment of sending",
                Outcome.SUCCESS, reasonCode, AuditEventAction.E, new Coding(DCM, "110106", "Export"), null);
        if (patientId != null) {
            patient(event, patientId);
        }
        data(event, genotypeVersion);
        return event;
    }

    /** Queued submissions cancelled because consent was withdrawn. */
    public AuditEvent submissionsCancelled(Instant at, String reasonCode, String patientId, int cancelled) {
        AuditEvent event = base(at, "index-submissions-cancelled", "Queued submissions cancelled: consent withdrawn",
                Outcome.SUCCESS, reasonCode + "; " + cancelled + " cancelled", AuditEventAction.D,
                new Coding(DCM, "110106", "Export"), null);
        patient(event, patientId);
        return event;
    }

    /** A delete request for the newborn's profile at the index (or an attempt to). */
    public AuditEvent deletion(Instant at, Outcome outcome, String description, String patientId, String genotypeVersion) {
        AuditEvent event = base(at, "index-deletion", "Profile deleted at the national DNA index", outcome, description,
                AuditEventAction.D, new Coding(DCM, "110106", "Export"), new Coding(LIFECYCLE, "destroy", "Destroy/Delete Record Lifecycle Event"));
        withRecipient(event);
        patient(event, patientId);
        data(event, genotypeVersion);
        return event;
    }

    /** A genotype erased from the registry, history included. */
    public AuditEvent erasure(Instant at, String reasonCode, String patientId, String genotypeVersion, int versions, int messages) {
        AuditEvent event = base(at, "genotype-erasure", "Genotype erased with its history", Outcome.SUCCESS,
                reasonCode + "; " + versions + " versions, " + messages + " HL7 messages' bytes", AuditEventAction.D,
                new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"),
                new Coding(LIFECYCLE, "destroy", "Destroy/Delete Record Lifecycle Event"));
        if (patientId != null) {
            patient(event, patientId);
        }
        data(event, genotypeVersion);
        return event;
    }

    /**
     * A step towards the index that failed unexpectedly (an internal error while working an
     * outbox row): which kind of step, the error code, the newborn and genotype where known.
     */
    public AuditEvent stepFailed(Instant at, Outcome outcome, String action, String description, String patientId,
                                 String genotypeVersion) {
        AuditEvent event = base(at, "index-step-failed", "Outbox step towards the national DNA index failed", outcome,
                action + ": " + description, AuditEventAction.E, new Coding(DCM, "110106", "Export"), null);
        if (patientId != null) {
            patient(event, patientId);
        }
        if (genotypeVersion != null) {
            data(event, genotypeVersion);
        }
        return event;
    }

    /**
     * A consent decision the registry acted on: the purpose, whether it was permitted and why, the
     * newborn, and the Consent that decided it (none when nothing was consented).
     */
    public AuditEvent consentDecision(Instant at, String purpose, boolean permitted, String reasonCode, String patientId,
                                      String consentId) {
        AuditEvent event = base(at, "consent-decision", "Consent decision", Outcome.SUCCESS,
                purpose + ": " + (permitted ? "permitted" : "denied") + " (" + reasonCode + ")", AuditEventAction.E,
                new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"), null);
        event.addPurposeOfEvent(new CodeableConcept(new Coding(NbrCanonical.REGISTRY_PURPOSE_SYSTEM, purpose, null)));
        patient(event, patientId);
        if (consentId != null) {
            event.addEntity().setWhat(new Reference("Consent/" + consentId))
                    .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                    .setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
        }
        return event;
    }

    /** A run of the retention schedule and what it queued for review. */
    public AuditEvent retentionRun(Instant at, int genotypes, int pastMajority) {
        AuditEvent event = base(at, "retention-run", "Retention run", Outcome.SUCCESS,
                genotypes + " genotypes queued for retention review, " + pastMajority + " index entries past the age of majority",
                AuditEventAction.E, new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"),
                null);
        event.addEntity().setWhat(new Reference().setDisplay("STR genotypes and national index entries"))
                .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                .setRole(new Coding(OBJECT_ROLE, "13", "Security Resource"));
        return event;
    }

    /**
     * A re-identification: who asked (the signed-in user and their address), for which case, and
     * the newborn it resolved to, if any. Failed and refused requests are recorded too.
     *
     * @param patientId the newborn found, or null
     */
    public AuditEvent reidentification(Instant at, Outcome outcome, String description, String patientId,
                                       String caseReference, RestAuditEvents.Client requesterClient) {
        AuditEvent event = base(at, "reidentification", "Re-identification of a national index match", outcome, description,
                AuditEventAction.E, new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"),
                new Coding("http://hl7.org/fhir/restful-interaction", "operation", "operation"));
        event.getAgentFirstRep().setRequestor(false);
        RestAuditEvents.requester(event, requesterClient, new Coding(DCM, "110151", "Requesting Role ID"));
        if (patientId != null) {
            patient(event, patientId);
        }
        if (caseReference != null && !caseReference.isBlank()) {
            event.addEntity().setWhat(new Reference().setIdentifier(new Identifier().setSystem(CASE_SYSTEM).setValue(caseReference))
                            .setDisplay("investigation case"))
                    .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                    .setRole(new Coding(OBJECT_ROLE, "20", "Job"));
        } else {
            event.addEntity().setWhat(new Reference().setDisplay("request without a case reference"))
                    .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                    .setRole(new Coding(OBJECT_ROLE, "24", "Query"));
        }
        return event;
    }

    private AuditEvent base(Instant at, String code, String display, Outcome outcome, String description, AuditEventAction action,
                            Coding type, Coding lifecycle) {
        AuditEvent event = new AuditEvent();
        event.getMeta().addProfile(NbrCanonical.AUDIT_EVENT);
        event.setType(type);
        if (lifecycle != null) {
            event.addSubtype(lifecycle);
        }
        event.addSubtype(new Coding(EVENT_SYSTEM, code, display));
        event.setAction(action);
        event.setRecorded(Date.from(at));
        event.setOutcome(outcome.code);
        if (description != null) {
            event.setOutcomeDesc(description);
        }
        event.addPurposeOfEvent(new CodeableConcept(new Coding(PURPOSE, "PUBHLTH", "public health")));
        AuditEventAgentComponent registry = event.addAgent();
        registry.setType(new CodeableConcept(new Coding(DCM, "110153", "Source Role ID")));
        registry.setWho(registryDevice());
        registry.setRequestor(true);
        event.getSource().setObserver(registryDevice());
        event.getSource().setSite("newborn-registry-adapter");
        event.getSource().addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));
        return event;
    }

    private void withRecipient(AuditEvent event) {
        AuditEventAgentComponent index = event.addAgent();
        index.setType(new CodeableConcept(new Coding(DCM, "110152", "Destination Role ID")));
        index.setWho(new Reference().setIdentifier(new Identifier().setSystem(NbrCanonical.BASE + "/sid/ori").setValue(destinationOri))
                .setDisplay("National DNA index"));
        index.setRequestor(false);
        index.getNetwork().setAddress(destinationUrl).setType(AuditEvent.AuditEventAgentNetworkType._5);
    }

    /**
     * The patient an event concerns, as BALP's Patient variants name it: a record id, or a reference
     * to the version concerned ({@code Patient/<id>/_history/<n>}).
     */
    static void patient(AuditEvent event, String patient) {
        event.addEntity().setWhat(new Reference(patient.startsWith("Patient/") ? patient : "Patient/" + patient))
                .setType(new Coding(ENTITY_TYPE, "1", "Person"))
                .setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
    }

    private static void data(AuditEvent event, String genotypeVersion) {
        event.addEntity().setWhat(new Reference(genotypeVersion))
                .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                .setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
    }

    /** The registry itself, as agent and observer of its own events. */
    static Reference registryDevice() {
        return new Reference().setIdentifier(new Identifier().setSystem(NbrCanonical.BASE + "/sid/system").setValue("nbr-adapter"))
                .setDisplay("Newborn Registry Adapter");
    }
}

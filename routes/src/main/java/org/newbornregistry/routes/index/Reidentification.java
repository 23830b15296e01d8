package org.newbornregistry.routes.index;

import org.newbornregistry.adapter.audit.IndexAuditEvents;
import org.newbornregistry.adapter.audit.RestAuditEvents;
import org.newbornregistry.adapter.index.Pseudonymizer;
import org.newbornregistry.fhir.audit.AuditTrail;
import org.newbornregistry.fhir.outbox.IndexOutbox;
import org.newbornregistry.fhir.store.RegistryReadService;
import org.hl7.fhir.r4.model.Patient;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Resolves a pseudonym the national index reported back to the newborn's record, for an
 * investigation's case. A case reference is required, and every attempt is an audit event —
 * refused, found no one, or resolved — naming who asked and the case. Both ways an investigator
 * asks (the FHIR operation and the console's newborn trail) go through here.
 *
 * <p>The pseudonym is looked up by its keyed lookup key (see {@link Pseudonymizer#lookupKey}); a
 * pseudonym whose profile was withdrawn from the index no longer resolves.
 */
public class Reidentification {

    /** What became of a request. */
    public enum Status { NO_CASE, NOT_FOUND, RESOLVED }

    /**
     * @param patient the newborn, when resolved
     * @param caseReference the case reference as recorded (trimmed)
     */
    public record Result(Status status, Patient patient, String caseReference) {
    }

    private final IndexOutbox outbox;
    private final Pseudonymizer pseudonyms;
    private final RegistryLookups lookups;
    private final AuditTrail audit;
    private final IndexAuditEvents events;
    private final Clock clock;

    public Reidentification(IndexOutbox outbox, Pseudonymizer pseudonyms, RegistryReadService reads, AuditTrail audit,
                            IndexAuditEvents events, Clock clock) {
        this.outbox = outbox;
        this.pseudonyms = pseudonyms;
        this.lookups = new RegistryLookups(reads);
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /** Looks the pseudonym up for the case and records the attempt; {@code pseudonym} and {@code caseReference} may be null. */
    public Result resolve(String pseudonym, String caseReference, RestAuditEvents.Client requester) {
        Instant now = clock.instant();
        String caseId = caseReference == null ? null : caseReference.strip();
        if (caseId == null || caseId.isEmpty()) {
            audit.record(events.reidentification(now, IndexAuditEvents.Outcome.FAILED, "refused: no case reference", null, null, requester));
            return new Result(Status.NO_CASE, null, null);
        }
        String value = pseudonym == null ? "" : pseudonym.strip();
        Optional<String> patientId = value.isEmpty() || value.length() > Pseudonymizer.LENGTH ? Optional.empty()
                : outbox.patientByLookup(pseudonyms.lookupKey(value));
        Optional<Patient> newborn = patientId.flatMap(id -> lookups.read(Patient.class, "Patient/" + id));
        if (newborn.isEmpty()) {
            audit.record(events.reidentification(now, IndexAuditEvents.Outcome.RETRY, "no newborn under this pseudonym", null,
                    caseId, requester));
            return new Result(Status.NOT_FOUND, null, caseId);
        }
        audit.record(events.reidentification(now, IndexAuditEvents.Outcome.SUCCESS, "resolved",
                newborn.get().getIdElement().getIdPart(), caseId, requester));
        return new Result(Status.RESOLVED, newborn.get(), caseId);
    }

    /** The registry's lookups, for the provider's answer about the mother. */
    RegistryLookups lookups() {
        return lookups;
    }
}

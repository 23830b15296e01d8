package org.newbornregistry.routes.index;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.StringType;
import org.newbornregistry.adapter.audit.IndexAuditEvents;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.index.Pseudonymizer;
import org.newbornregistry.fhir.error.RegistryErrors;
import org.newbornregistry.fhir.audit.AuditTrail;
import org.newbornregistry.fhir.outbox.IndexOutbox;
import org.newbornregistry.fhir.server.RegistryOperationProvider;
import org.newbornregistry.fhir.store.RegistryReadService;
import org.newbornregistry.fhir.store.RegistryWriteService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /fhir/Patient/$reidentify}: the reason for the whole chain. When the national index
 * reports that a rescued child matches a pseudonym, an investigator asks the registry whose it is;
 * the answer is the newborn and the mother. A case reference is required, and every request is an
 * audit event, whether it found someone, found no one, or was refused.
 *
 * <p>The pseudonym is looked up by its keyed lookup key (see {@link Pseudonymizer#lookupKey});
 * a pseudonym whose profile was withdrawn from the index no longer resolves. Restricted to the
 * investigator role when sign-in arrives (the security issue); until then unauthenticated, like
 * the rest of the API, and only for the operators' network.
 */
public class ReidentificationProvider implements RegistryOperationProvider {

    private static final Logger LOG = LoggerFactory.getLogger(ReidentificationProvider.class);
    private static final String MOTHER = "http://terminology.hl7.org/CodeSystem/v3-RoleCode|MTH";

    private final IndexOutbox outbox;
    private final Pseudonymizer pseudonyms;
    private final RegistryLookups lookups;
    private final AuditTrail audit;
    private final IndexAuditEvents events;
    private final Clock clock;

    public ReidentificationProvider(IndexOutbox outbox, Pseudonymizer pseudonyms, RegistryReadService reads,
                                    RegistryWriteService writes, IndexAuditEvents events, Clock clock) {
        this.outbox = outbox;
        this.pseudonyms = pseudonyms;
        this.lookups = new RegistryLookups(reads);
        this.audit = new AuditTrail(writes);
        this.events = events;
        this.clock = clock;
    }

    /**
     * @param pseudonym     the pseudonym the index reported
     * @param caseReference the investigation's case reference, required
     * @return {@code newborn} (Patient), each {@code mother} (RelatedPerson) and {@code motherPatient} (her own record)
     */
    @Operation(name = "$reidentify", type = Patient.class, idempotent = false)
    public Parameters reidentify(@OperationParam(name = "pseudonym", max = 1) StringType pseudonym,
                                 @OperationParam(name = "caseReference", max = 1) StringType caseReference,
                                 RequestDetails request) {
        Instant now = clock.instant();
        String address = request instanceof ServletRequestDetails servlet ? servlet.getServletRequest().getRemoteAddr() : null;
        String caseId = caseReference == null ? null : caseReference.getValueNotNull().strip();
        if (caseId == null || caseId.isEmpty()) {
            audit.record(events.reidentification(now, IndexAuditEvents.Outcome.FAILED, "refused: no case reference", null, null, address));
            throw RegistryErrors.exception(NbrError.REIDENTIFICATION_WITHOUT_CASE,
                    "re-identification needs the case reference of the investigation", "Parameters.parameter[caseReference]");
        }
        String value = pseudonym == null ? "" : pseudonym.getValueNotNull().strip();
        Optional<String> patientId = value.isEmpty() || value.length() > Pseudonymizer.LENGTH ? Optional.empty()
                : outbox.patientByLookup(pseudonyms.lookupKey(value));
        Optional<Patient> newborn = patientId.flatMap(id -> lookups.read(Patient.class, "Patient/" + id));
        if (newborn.isEmpty()) {
            audit.record(events.reidentification(now, IndexAuditEvents.Outcome.RETRY, "no newborn under this pseudonym", null,
                    caseId, address));
            throw RegistryErrors.exception(NbrError.PSEUDONYM_NOT_FOUND,
                    "the registry holds no newborn under this pseudonym at the index (never submitted, or withdrawn)",
                    "Parameters.parameter[pseudonym]");
        }
        String id = newborn.get().getIdElement().getIdPart();
        Parameters result = new Parameters();
        result.addParameter().setName("newborn").setResource(newborn.get());
        List<RelatedPerson> mothers = lookups.search(RelatedPerson.class,
                Map.of("patient", new String[]{"Patient/" + id}, "relationship", new String[]{MOTHER}));
        for (RelatedPerson mother : mothers) {
            result.addParameter().setName("mother").setResource(mother);
            lookups.search(Patient.class, Map.of("link", new String[]{"RelatedPerson/" + mother.getIdElement().getIdPart()}))
                    .forEach(own -> result.addParameter().setName("motherPatient").setResource(own));
        }
        audit.record(events.reidentification(now, IndexAuditEvents.Outcome.SUCCESS, "resolved", id, caseId, address));
        LOG.info("Re-identification for a case resolved a pseudonym to Patient/{}", id);
        return result;
    }
}

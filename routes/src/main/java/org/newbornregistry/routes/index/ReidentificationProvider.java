package org.newbornregistry.routes.index;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.StringType;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.audit.AuditClients;
import org.newbornregistry.fhir.error.RegistryErrors;
import org.newbornregistry.fhir.server.RegistryOperationProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /fhir/Patient/$reidentify}: the reason for the whole chain. When the national index
 * reports that a rescued child matches a pseudonym, an investigator asks the registry whose it is;
 * the answer is the newborn and the mother. A case reference is required, and every request is an
 * audit event, whether it found someone, found no one, or was refused ({@link Reidentification}).
 * Only tokens with the {@code nbr/reidentify} scope (the investigator role) may call it.
 */
public class ReidentificationProvider implements RegistryOperationProvider {

    private static final Logger LOG = LoggerFactory.getLogger(ReidentificationProvider.class);
    private static final String MOTHER = "http://terminology.hl7.org/CodeSystem/v3-RoleCode|MTH";

    private final Reidentification reidentification;

    public ReidentificationProvider(Reidentification reidentification) {
        this.reidentification = reidentification;
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
        String address = request instanceof ServletRequestDetails servlet ? servlet.getServletRequest().getRemoteAddr() : null;
        Reidentification.Result result = reidentification.resolve(pseudonym == null ? null : pseudonym.getValue(),
                caseReference == null ? null : caseReference.getValue(), AuditClients.current(address));
        switch (result.status()) {
            case NO_CASE -> throw RegistryErrors.exception(NbrError.REIDENTIFICATION_WITHOUT_CASE,
                    "re-identification needs the case reference of the investigation", "Parameters.parameter[caseReference]");
            case NOT_FOUND -> throw RegistryErrors.exception(NbrError.PSEUDONYM_NOT_FOUND,
                    "the registry holds no newborn under this pseudonym at the index (never submitted, or withdrawn)",
                    "Parameters.parameter[pseudonym]");
            case RESOLVED -> { }
        }
        String id = result.patient().getIdElement().getIdPart();
        Parameters answer = new Parameters();
        answer.addParameter().setName("newborn").setResource(result.patient());
        RegistryLookups lookups = reidentification.lookups();
        List<RelatedPerson> mothers = lookups.search(RelatedPerson.class,
                Map.of("patient", new String[]{"Patient/" + id}, "relationship", new String[]{MOTHER}));
        for (RelatedPerson mother : mothers) {
            answer.addParameter().setName("mother").setResource(mother);
            lookups.search(Patient.class, Map.of("link", new String[]{"RelatedPerson/" + mother.getIdElement().getIdPart()}))
                    .forEach(own -> answer.addParameter().setName("motherPatient").setResource(own));
        }
        LOG.info("Re-identification for a case resolved a pseudonym to Patient/{}", id);
        return answer;
    }
}

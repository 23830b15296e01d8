package org.newbornregistry.fhir.audit;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.newbornregistry.adapter.audit.RestAuditEvents;
import org.newbornregistry.fhir.store.WriteAudit;
import org.newbornregistry.fhir.store.WriteOrigin;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The audit event of a FHIR write, recorded in the write's own transaction: a FHIR request's write
 * origin carries the {@link WriteAudit} made here for it, the write path hands it what each of its
 * transactions stored, and the event naming those versions is written just before the transaction
 * commits. The request then knows its event is on record ({@link #recorded}), so the interceptor
 * records no second one; a write that rolls back leaves no event here, and the interceptor records
 * its failure.
 */
public final class RestWriteAudit {

    /** The request attribute saying the request's event was recorded with its write. */
    private static final String RECORDED = RestWriteAudit.class.getName() + ".recorded";

    private final AuditTrail trail;
    private final PatientReferences patients;
    private final Clock clock;

    RestWriteAudit(AuditTrail trail, PatientReferences patients, Clock clock) {
        this.trail = trail;
        this.patients = patients;
        this.clock = clock;
    }

    /** The origin of a FHIR request's writes, with their audit. */
    public WriteOrigin origin(RequestDetails request, WriteOrigin origin) {
        String interaction = RestInteractions.of(request.getRestOperationType());
        RestAuditEvents.Client client = AuditClients.of(request);
        return origin.audited(written -> {
            Set<String> entities = new LinkedHashSet<>();
            Set<String> concerned = new LinkedHashSet<>();
            for (WriteAudit.Written version : written) {
                entities.add(version.key().type() + "/" + version.key().id() + "/_history/" + version.version());
                if (version.resource() != null) {
                    patients.collect(version.resource(), concerned);
                }
            }
            trail.record(RestAuditEvents.interaction(clock.instant(), interaction, 200, client, entities, concerned, null));
            request.getUserData().put(RECORDED, Boolean.TRUE);
        });
    }

    /** Whether the request's event was recorded with its write. */
    static boolean recorded(RequestDetails request) {
        return Boolean.TRUE.equals(request.getUserData().get(RECORDED));
    }
}

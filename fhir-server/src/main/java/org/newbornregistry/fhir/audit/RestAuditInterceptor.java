package org.newbornregistry.fhir.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.newbornregistry.adapter.audit.RestAuditEvents;
import org.newbornregistry.fhir.error.SafeThrowables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Records an AuditEvent for every FHIR interaction but the CapabilityStatement: writes in their
 * own transaction ({@link RestWriteAudit}, carried by the write's origin), everything else — reads,
 * searches, history, refused and failed requests — just before the answer is sent, with its
 * status: a client has its answer only once the access is on record.
 */
@Interceptor
public class RestAuditInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(RestAuditInterceptor.class);
    /** Most patients one search's event names; a bulk search is recorded as a query. */
    private static final int MAX_PATIENTS = 100;
    /** The order of the hook that records a response: after the authorisation and consent interceptors (order 0). */
    private static final int LAST = 1000;
    /** The request attribute saying its event was recorded here. */
    private static final String RECORDED_BY_INTERCEPTOR = RestAuditInterceptor.class.getName() + ".recorded";

    private final AuditTrail trail;
    private final PatientReferences patients;
    private final Clock clock;

    RestAuditInterceptor(AuditTrail trail, PatientReferences patients, Clock clock) {
        this.trail = trail;
        this.patients = patients;
        this.clock = clock;
    }

    /**
     * Runs after every other interceptor's look at the response: the authorisation rules check each
     * resource going out and may still refuse the request, which must then be recorded as refused.
     */
    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = LAST)
    public boolean outgoingResponse(RequestDetails request, ResponseDetails response) {
        record(request, response.getResponseCode(), response.getResponseResource());
        return true;
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean handleException(RequestDetails request, BaseServerResponseException exception) {
        record(request, exception.getStatusCode(), null);
        return true;
    }

    /** Records the request's event before its answer is sent, unless its write recorded it already. */
    private void record(RequestDetails request, int status, IBaseResource response) {
        String interaction = RestInteractions.of(request.getRestOperationType());
        if (RestWriteAudit.recorded(request) || request.getUserData().containsKey(RECORDED_BY_INTERCEPTOR)
                || "capabilities".equals(interaction)) {
            return;
        }
        Set<String> entities = new LinkedHashSet<>();
        Set<String> concerned = new LinkedHashSet<>();
        if (response != null && status < 400) {
            if (response instanceof Bundle bundle && !(interaction.equals("read") || interaction.equals("vread"))) {
                for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                    if (entry.getResource() != null && concerned.size() < MAX_PATIENTS) {
                        patients.collect(entry.getResource(), concerned);
                    }
                }
            } else if (response instanceof Resource resource && resource.getIdElement().getIdPart() != null) {
                entities.add(resource.getIdElement().toUnqualified().getValue());
                patients.collect(resource, concerned);
            }
        } else if (request.getId() != null && request.getId().hasIdPart()) {
            entities.add(request.getId().toUnqualified().getValue());
        }
        String query = null;
        if (interaction.startsWith("search") || interaction.startsWith("history")) {
            String url = request.getCompleteUrl();
            query = request.getResourceName() + (url != null && url.contains("?") ? url.substring(url.indexOf('?')) : "");
        }
        try {
            trail.record(RestAuditEvents.interaction(clock.instant(), interaction, status, AuditClients.of(request), entities,
                    List.copyOf(concerned).subList(0, Math.min(concerned.size(), MAX_PATIENTS)), query));
            // Why: an exception after the answer's hook (a refused outgoing resource) must not record the request twice.
            request.getUserData().put(RECORDED_BY_INTERCEPTOR, Boolean.TRUE);
        } catch (RuntimeException e) {
            // Why: a lost audit record is an operator's alarm, not the client's error.
            LOG.error("Audit event of a FHIR {} could not be stored: {}", interaction, SafeThrowables.describe(e));
        }
    }

}

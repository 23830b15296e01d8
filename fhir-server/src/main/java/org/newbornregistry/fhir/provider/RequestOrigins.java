package org.newbornregistry.fhir.provider;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.newbornregistry.fhir.audit.RestWriteAudit;
import org.newbornregistry.fhir.security.TokenClaims;
import org.newbornregistry.fhir.store.WriteOrigin;

/**
 * Where a FHIR request's writes come from: this server's base and the organisation of the request's
 * token; and how they are audited, in their own transactions.
 */
public final class RequestOrigins {

    private final RestWriteAudit audit;

    public RequestOrigins(RestWriteAudit audit) {
        this.audit = audit;
    }

    WriteOrigin of(RequestDetails request) {
        return audit.origin(request, WriteOrigin.request(request.getFhirServerBase(), TokenClaims.organization().orElse(null)));
    }
}

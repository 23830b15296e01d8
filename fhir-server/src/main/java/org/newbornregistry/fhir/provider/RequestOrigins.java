package org.newbornregistry.fhir.provider;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.newbornregistry.fhir.security.TokenClaims;
import org.newbornregistry.fhir.store.WriteOrigin;

/** Where a FHIR request's writes come from: this server's base and the organisation of the request's token. */
final class RequestOrigins {

    private RequestOrigins() {
    }

    static WriteOrigin of(RequestDetails request) {
        return WriteOrigin.request(request.getFhirServerBase(), TokenClaims.organization().orElse(null));
    }
}

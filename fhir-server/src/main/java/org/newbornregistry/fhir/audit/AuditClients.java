package org.newbornregistry.fhir.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.newbornregistry.adapter.audit.RestAuditEvents;
import org.newbornregistry.fhir.security.TokenClaims;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is asking, as an audit event names them: the signed-in user (the token's subject), the
 * organisation and OAuth client the token was issued for, and the network address.
 */
public final class AuditClients {

    private AuditClients() {
    }

    /** The client of an HTTP request, {@code address} null when unknown. */
    public static RestAuditEvents.Client current(String address) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String user = authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken) ? authentication.getName() : null;
        return new RestAuditEvents.Client(user, address, TokenClaims.organization().orElse(null),
                TokenClaims.clientId().orElse(null));
    }

    /** The client of this servlet request. */
    public static RestAuditEvents.Client of(HttpServletRequest request) {
        return current(request.getRemoteAddr());
    }

    /** The client of this FHIR request. */
    public static RestAuditEvents.Client of(ca.uhn.fhir.rest.api.server.RequestDetails request) {
        return current(request instanceof ca.uhn.fhir.rest.server.servlet.ServletRequestDetails servlet
                ? servlet.getServletRequest().getRemoteAddr() : null);
    }
}

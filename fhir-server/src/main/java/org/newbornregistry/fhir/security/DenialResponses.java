package org.newbornregistry.fhir.security;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.newbornregistry.adapter.audit.DenialThrottle;
import org.newbornregistry.adapter.audit.RestAuditEvents;
import org.newbornregistry.fhir.audit.AuditClients;
import org.newbornregistry.fhir.audit.AuditTrail;
import org.newbornregistry.fhir.error.SafeThrowables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Answers the requests Spring Security turns away — 401 without a valid token, 403 when the
 * token does not open the path — with a FHIR OperationOutcome under the FHIR base path and RFC 9457
 * problem details elsewhere, and records each as a failed AuditEvent: HAPI's audit interceptor
 * never sees these requests. Refusals without an authenticated user are recorded one by one up to
 * a rate per client address, then counted ({@link DenialThrottle}). The bearer-token {@code WWW-Authenticate} header is kept (RFC 6750).
 * Neither the token nor the query string is recorded or logged.
 */
public class DenialResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DenialResponses.class);

    private final FhirContext fhirContext;
    private final AuditTrail trail;
    private final String fhirBasePath;
    private final Clock clock;
    private final DenialThrottle anonymous;
    private final BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler bearerDenied = new BearerTokenAccessDeniedHandler();

    /** @param anonymous bounds the records of refusals without an authenticated user, per client address */
    public DenialResponses(FhirContext fhirContext, AuditTrail trail, String fhirBasePath, Clock clock, DenialThrottle anonymous) {
        this.fhirContext = fhirContext;
        this.trail = trail;
        this.fhirBasePath = fhirBasePath;
        this.clock = clock;
        this.anonymous = anonymous;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        bearerEntryPoint.commence(request, response, exception);
        deny(request, response, HttpServletResponse.SC_UNAUTHORIZED, OperationOutcome.IssueType.LOGIN,
                "Unauthorized", "A valid bearer token is required.");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException exception)
            throws IOException {
        bearerDenied.handle(request, response, exception);
        deny(request, response, HttpServletResponse.SC_FORBIDDEN, OperationOutcome.IssueType.FORBIDDEN,
                "Forbidden", "The token's scopes do not permit this request.");
    }

    private void deny(HttpServletRequest request, HttpServletResponse response, int status, OperationOutcome.IssueType type,
                      String title, String detail) throws IOException {
        audit(request, status);
        response.setStatus(status);
        if (isFhir(request)) {
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(type).setDiagnostics(detail);
            response.setContentType("application/fhir+json;charset=UTF-8");
            response.getOutputStream().write(fhirContext.newJsonParser().encodeResourceToString(outcome)
                    .getBytes(StandardCharsets.UTF_8));
        } else {
            response.setContentType("application/problem+json");
            response.getOutputStream().write(("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                    + ",\"detail\":\"" + detail + "\",\"instance\":\"" + json(request.getRequestURI()) + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    private void audit(HttpServletRequest request, int status) {
        try {
            RestAuditEvents.Client client = AuditClients.of(request);
            long unrecorded = 0;
            if (client.user() == null) {
                Optional<Long> admitted = anonymous.admit(request.getRemoteAddr());
                if (admitted.isEmpty()) {
                    return;
                }
                unrecorded = admitted.get();
            }
            AuditEvent event = RestAuditEvents.interaction(clock.instant(), interaction(request), status,
                    client, List.of(), List.of(), null);
            event.getEntityFirstRep().getWhat().setDisplay(request.getMethod() + " " + request.getRequestURI());
            event.setOutcomeDesc(DenialThrottle.withUnrecorded(event.getOutcomeDesc(), unrecorded));
            trail.record(event);
        } catch (RuntimeException e) {
            // Why: a lost audit record is an operator's alarm, not the client's error.
            LOG.error("Audit event of a denied request could not be stored: {}", SafeThrowables.describe(e));
        }
    }

    private boolean isFhir(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals(fhirBasePath) || path.startsWith(fhirBasePath + "/");
    }

    /** The restful-interaction a denied request would have been, as far as its method and path tell. */
    private String interaction(HttpServletRequest request) {
        if (!isFhir(request)) {
            return "operation";
        }
        String path = request.getRequestURI().substring(request.getContextPath().length() + fhirBasePath.length());
        String[] parts = path.replaceAll("^/+|/+$", "").split("/");
        boolean system = parts.length == 1 && parts[0].isEmpty();
        if (path.contains("$")) {
            return "operation";
        }
        return switch (request.getMethod()) {
            case "GET" -> system ? "search-system" : parts.length == 1 ? "search-type"
                    : parts.length >= 3 && parts[2].equals("_history") ? (parts.length == 4 ? "vread" : "history-instance") : "read";
            case "POST" -> system ? "transaction" : parts.length >= 2 && parts[1].equals("_search") ? "search-type" : "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "operation";
        };
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}

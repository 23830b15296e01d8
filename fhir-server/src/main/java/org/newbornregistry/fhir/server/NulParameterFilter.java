package org.newbornregistry.fhir.server;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.RegistryErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Refuses with 400 a request whose parameter names or values hold a NUL character: no database
 * text column can hold one, so such a value would reach PostgreSQL only to fail there as an
 * internal error (or, in the message store's API, look like an unavailable database). Under the
 * FHIR base the answer is an OperationOutcome ({@code NBR-2002}), elsewhere RFC 9457 problem details.
 */
public class NulParameterFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(NulParameterFilter.class);
    private static final String DETAIL = "a request parameter holds a NUL character, which no parameter may";

    private final FhirContext fhirContext;
    private final String fhirBasePath;

    public NulParameterFilter(FhirContext fhirContext, String fhirBasePath) {
        this.fhirContext = fhirContext;
        this.fhirBasePath = fhirBasePath;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!holdsNul(request.getParameterMap())) {
            chain.doFilter(request, response);
            return;
        }
        LOG.info("{} {} answered 400: {}", request.getMethod(), request.getRequestURI(), DETAIL);
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals(fhirBasePath) || path.startsWith(fhirBasePath + "/")) {
            response.setContentType("application/fhir+json");
            response.getWriter().write(fhirContext.newJsonParser().encodeResourceToString(
                    RegistryErrors.outcome(NbrError.INVALID_SEARCH_VALUE, DETAIL, null)));
        } else {
            response.setContentType("application/problem+json");
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Invalid parameter\",\"status\":400,\"detail\":\""
                    + DETAIL + "\",\"instance\":\"" + path.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
        }
    }

    private static boolean holdsNul(Map<String, String[]> parameters) {
        return parameters.entrySet().stream().anyMatch(entry -> entry.getKey().indexOf('\0') >= 0
                || Arrays.stream(entry.getValue()).anyMatch(value -> value != null && value.indexOf('\0') >= 0));
    }
}

package org.newbornregistry.fhir.error;

import org.newbornregistry.conformance.NbrCanonical;
import org.newbornregistry.fhir.search.DateRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * RFC 9457 problem details for the operator and auditor HTTP APIs outside /fhir (the FHIR API
 * answers with OperationOutcomes, {@link RegistryErrors}). A problem's {@code type} is
 * {@value #TYPE_BASE} and its name; details name parameters and ids, never the values sent.
 */
public final class Problems {

    /** Where the problem types live. */
    public static final String TYPE_BASE = NbrCanonical.BASE + "/problem/";

    private Problems() {
    }

    /** A problem of this status, type (its name under {@link #TYPE_BASE}, or null for none), title and detail. */
    public static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        if (type != null) {
            problem.setType(URI.create(TYPE_BASE + type));
        }
        problem.setTitle(title);
        return problem;
    }

    /** The exception Spring answers with this problem. */
    public static ErrorResponseException of(ProblemDetail problem) {
        return new ErrorResponseException(HttpStatus.valueOf(problem.getStatus()), problem, null);
    }

    /** The exception Spring answers with a problem of this status, title and detail. */
    public static ErrorResponseException of(HttpStatus status, String title, String detail) {
        return of(problem(status, null, title, detail));
    }

    /** The exception Spring answers with a problem of this status, titled by the status. */
    public static ErrorResponseException of(HttpStatus status, String detail) {
        return of(status, status.getReasonPhrase(), detail);
    }

    /** 400 for a request parameter that is wrong. */
    public static ErrorResponseException invalidParameter(String detail) {
        return of(problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", detail));
    }

    /** 400 for the request parameter {@code parameter}, named in the problem's {@code parameter} property too. */
    public static ErrorResponseException invalidParameter(String parameter, String problem) {
        ProblemDetail detail = problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
                "parameter " + parameter + " " + problem);
        detail.setProperty("parameter", parameter);
        return of(detail);
    }

    /** An ISO instant request parameter; null when absent or blank, 400 when it is no instant. */
    public static Instant instantParameter(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant instant = Instant.parse(value.strip());
            if (DateRange.storable(instant)) {
                return instant;
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw invalidParameter(name + " must be an ISO instant between the years 0001 and 9999, such as 2024-05-01T00:00:00Z");
    }
}

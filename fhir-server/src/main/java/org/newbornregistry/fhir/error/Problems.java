package org.newbornregistry.fhir.error;

import org.newbornregistry.fhir.search.DateRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** RFC 9457 problem details for the operator and auditor HTTP APIs outside /fhir. */
public final class Problems {

    private Problems() {
    }

    /** The exception Spring answers with a problem of this status, title and detail. */
    public static ErrorResponseException of(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return new ErrorResponseException(status, problem, null);
    }

    /** The exception Spring answers with a problem of this status, titled by the status. */
    public static ErrorResponseException of(HttpStatus status, String detail) {
        return of(status, status.getReasonPhrase(), detail);
    }

    /** 400 for a request parameter that is wrong. */
    public static ErrorResponseException invalidParameter(String detail) {
        return of(HttpStatus.BAD_REQUEST, "Invalid parameter", detail);
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

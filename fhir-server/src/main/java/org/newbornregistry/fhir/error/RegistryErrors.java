package org.newbornregistry.fhir.error;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.conformance.NbrCanonical;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Turns an {@link NbrError} into the HAPI exception of its HTTP status, carrying an
 * OperationOutcome with the issue type, the {@code NBR-xxxx} code in {@code details.coding} and
 * the FHIRPath location of the problem in {@code expression}.
 *
 * <p>Messages name locations, parameters and codes, never the values a client sent: they are
 * returned to the caller and written to the log.
 */
public final class RegistryErrors {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryErrors.class);

    private RegistryErrors() {
    }

    /**
     * The exception to throw for an error.
     *
     * @param error      what went wrong
     * @param message    human-readable diagnostics without personal data
     * @param expression FHIRPath location of the problem, or null
     */
    public static BaseServerResponseException exception(NbrError error, String message, String expression) {
        BaseServerResponseException exception =
                BaseServerResponseException.newInstance(error.httpStatus(), error.code() + ": " + message);
        exception.setOperationOutcome(outcome(error, message, expression));
        return exception;
    }

    /** Shorthand for an error without a location. */
    public static BaseServerResponseException exception(NbrError error, String message) {
        return exception(error, message, null);
    }

    /** The OperationOutcome describing an error. */
    public static OperationOutcome outcome(NbrError error, String message, String expression) {
        OperationOutcome outcome = new OperationOutcome();
        OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                .setSeverity(error.httpStatus() >= 500 ? IssueSeverity.FATAL : IssueSeverity.ERROR)
                .setCode(error.issueType())
                .setDiagnostics(message)
                .setDetails(new CodeableConcept(new Coding(NbrCanonical.ERROR_CODE_SYSTEM, error.code(), null)));
        if (expression != null) {
            issue.addExpression(expression);
        }
        return outcome;
    }

    /**
     * The 500 for an unexpected exception: logs a reference with the exception's classes and stack
     * frames but not its message (which may quote data), and returns an error naming only the
     * reference.
     *
     * @param what the operation that failed, for the log
     */
    public static BaseServerResponseException internal(Throwable exception, String what) {
        String reference = UUID.randomUUID().toString();
        LOG.error("Internal error {} in {}: {}", reference, what, SafeThrowables.describe(exception));
        return exception(NbrError.INTERNAL_ERROR, "internal error; quote reference " + reference + " to the operators");
    }

    /**
     * Prefixes the location of an exception with the Bundle entry it came from, keeping its
     * status and code, so that a failed transaction names the entry.
     */
    public static BaseServerResponseException atBundleEntry(BaseServerResponseException cause, int index) {
        String location = "Bundle.entry[" + index + "]";
        BaseServerResponseException wrapped =
                BaseServerResponseException.newInstance(cause.getStatusCode(), location + ": " + cause.getMessage());
        OperationOutcome outcome = cause.getOperationOutcome() instanceof OperationOutcome oo
                ? oo.copy()
                : outcome(NbrError.INVALID_BUNDLE, cause.getMessage(), null);
        for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
            issue.setDiagnostics(location + ": " + issue.getDiagnostics());
            if (issue.hasExpression()) {
                issue.getExpression().forEach(e -> e.setValue(location + ".resource" + relative(e.getValue())));
            } else {
                issue.addExpression(location);
            }
        }
        wrapped.setOperationOutcome(outcome);
        return wrapped;
    }

    // Why: "Patient.birthDate" inside entry 3 is "Bundle.entry[3].resource.birthDate" in FHIRPath, "Patient" is "...resource".
    private static String relative(String expression) {
        if (expression.isEmpty() || !Character.isUpperCase(expression.charAt(0))) {
            return "." + expression;
        }
        int dot = expression.indexOf('.');
        return dot > 0 ? expression.substring(dot) : "";
    }
}

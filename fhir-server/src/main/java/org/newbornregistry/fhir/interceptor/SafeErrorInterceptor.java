package org.newbornregistry.fhir.interceptor;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.RegistryErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes every error response and error log line free of personal data. HAPI writes the message
 * of a 4xx to its log and returns it to the client, and turns any other exception into a 500
 * whose message is the exception's, which for a parser or database error quotes the data that
 * caused it. This interceptor, run before HAPI handles an exception:
 * <ul>
 *   <li>passes the registry's own errors (their messages never carry values) through;</li>
 *   <li>turns parser errors into 400 {@code NBR-1001} with quoted values masked, including the
 *       {@linkplain ParserDefects unchecked exceptions} HAPI's parser throws on some malformed bodies;</li>
 *   <li>masks quoted values in HAPI's own 4xx messages;</li>
 *   <li>turns anything else into 500 {@code NBR-9999} with a reference, logging the reference, the
 *       exception classes and their stack frames, but no exception message
 *       ({@link RegistryErrors#internal}).</li>
 * </ul>
 */
@Interceptor
public class SafeErrorInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(SafeErrorInterceptor.class);
    // Why: parsers quote values ("2024-02-31") but also names (element="birthDate", element 'x'), which say what is wrong.
    private static final Pattern QUOTED = Pattern.compile(
            "((?:element=|element |parameter |resource type )(?:\"[^\"]*\"|'[^']*'))|\"[^\"]*\"|'[^']*'");
    private static final Pattern REGISTRY_MESSAGE = Pattern.compile("(Bundle\\.entry\\[\\d+]: )?NBR-\\d{4}: ");
    private static final String HAPI_UNPARSEABLE_BODY = "HAPI-0450";

    /**
     * Replaces the exception with one that is safe to log and to return, and logs the failure
     * by operation, status and registry code (HAPI itself stays silent about exceptions that carry
     * an OperationOutcome, as all of these do).
     */
    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException serverPreProcessOutgoingException(RequestDetails request, Throwable exception) {
        BaseServerResponseException safe = safe(request, exception);
        if (safe.getStatusCode() < 500) {
            LOG.info("FHIR {} {} answered {} {}", request == null ? "?" : request.getRestOperationType(),
                    request == null || request.getResourceName() == null ? "" : request.getResourceName(),
                    safe.getStatusCode(), code(safe));
        }
        return safe;
    }

    private static BaseServerResponseException safe(RequestDetails request, Throwable exception) {
        if (exception instanceof BaseServerResponseException known) {
            if (isRegistryError(known)) {
                return known;
            }
            if (known.getStatusCode() == 400 && String.valueOf(known.getMessage()).contains(HAPI_UNPARSEABLE_BODY)) {
                return RegistryErrors.exception(NbrError.UNPARSEABLE_CONTENT, mask(known.getMessage()));
            }
            if (known.getStatusCode() < 500) {
                return masked(known);
            }
        }
        if (exception instanceof DataFormatException) {
            return RegistryErrors.exception(NbrError.UNPARSEABLE_CONTENT,
                    "the request body is not valid FHIR: " + mask(exception.getMessage()));
        }
        if (ParserDefects.thrownReadingRequestBody(exception)) {
            return RegistryErrors.exception(NbrError.UNPARSEABLE_CONTENT,
                    "the request body is not valid FHIR: the parser could not read its structure ("
                            + exception.getClass().getSimpleName() + ")");
        }
        return RegistryErrors.internal(exception, "FHIR " + (request == null ? "?" : request.getRestOperationType()));
    }

    private static String code(BaseServerResponseException exception) {
        if (exception.getOperationOutcome() instanceof OperationOutcome outcome && outcome.hasIssue()
                && outcome.getIssueFirstRep().getDetails().hasCoding()) {
            return outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode();
        }
        return "-";
    }

    private static boolean isRegistryError(BaseServerResponseException exception) {
        String message = exception.getMessage();
        return message != null && REGISTRY_MESSAGE.matcher(message).lookingAt();
    }

    private static BaseServerResponseException masked(BaseServerResponseException exception) {
        BaseServerResponseException result = BaseServerResponseException.newInstance(
                exception.getStatusCode(), mask(exception.getMessage()));
        if (exception.getOperationOutcome() instanceof OperationOutcome outcome) {
            OperationOutcome copy = outcome.copy();
            copy.getIssue().forEach(issue -> issue.setDiagnostics(mask(issue.getDiagnostics())));
            result.setOperationOutcome(copy);
        }
        exception.getResponseHeaders().forEach((name, values) -> values.forEach(v -> result.addResponseHeader(name, v)));
        return result;
    }

    /**
     * Replaces every quoted part of a message, where HAPI's parser and server put the offending
     * value ({@code Invalid attribute value "2019-02-30"}, {@code Unknown AdministrativeGender code
     * 'Baby Girl'}), except the quoted names of elements, parameters and resource types, which say
     * what is wrong without repeating data.
     */
    static String mask(String message) {
        if (message == null) {
            return null;
        }
        return QUOTED.matcher(message).replaceAll(m -> m.group(1) != null
                ? Matcher.quoteReplacement(m.group())
                : m.group().charAt(0) == '\'' ? "'***'" : "\"***\"");
    }

}

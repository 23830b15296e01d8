package org.newbornregistry.fhir.hl7.admin;

import org.newbornregistry.fhir.error.Problems;
import org.newbornregistry.fhir.error.SafeThrowables;
import org.newbornregistry.fhir.hl7.MessageNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.List;
import java.util.UUID;

/**
 * The errors of the message admin API as RFC 9457 problem details ({@link Problems}, each with a
 * {@code type} of its own). Details name parameters and ids, never the values sent or message
 * content; 4xx are logged without a stack trace, 5xx with their classes and frames only
 * ({@link SafeThrowables}). Spring MVC's own errors (wrong method, ...) come out as problem
 * details through {@link ResponseEntityExceptionHandler}.
 */
@RestControllerAdvice(assignableTypes = MessageAdminController.class)
public class MessageAdminProblems extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MessageAdminProblems.class);

    @ExceptionHandler
    ProblemDetail notFound(MessageNotFoundException e) {
        LOG.info("Admin request for unknown message {}", e.messageId());
        return Problems.problem(HttpStatus.NOT_FOUND, "message-not-found", "Message not found",
                "no HL7 message with id " + e.messageId() + " is in the message store");
    }

    @ExceptionHandler
    ProblemDetail unavailable(DataAccessException e) {
        LOG.error("Admin request failed, message store unavailable: {}", SafeThrowables.describe(e));
        return Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "Message store unavailable",
                "the message store cannot be reached at the moment; try again later");
    }

    @ExceptionHandler
    ProblemDetail internal(RuntimeException e) {
        String reference = UUID.randomUUID().toString();
        LOG.error("Internal error {} in the admin API: {}", reference, SafeThrowables.describe(e));
        return Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "internal error; quote reference " + reference + " to the operators");
    }

    /** The bytes of a message are gone: 404 for reading them, 409 for replaying the message. */
    static ErrorResponseException rawGone(HttpStatus status, long messageId, String consequence) {
        LOG.info("Admin request for the deleted bytes of message {}: {}", messageId, status.value());
        ProblemDetail problem = Problems.problem(status, "raw-message-gone", "Message bytes deleted",
                "the bytes of HL7 message " + messageId + " were deleted after the retention period (nbr.hl7.raw-retention); "
                        + consequence);
        problem.setProperty("messageId", messageId);
        return Problems.of(problem);
    }

    /** A replay by filter without filters and without {@code all=true}. */
    static ErrorResponseException unfilteredReplay() {
        LOG.info("Admin request refused: replay of every message without all=true");
        return Problems.of(Problems.problem(HttpStatus.BAD_REQUEST, "unfiltered-replay", "Replay of every message refused",
                "a replay without filters replays every message; give filters, or all=true if that is meant"));
    }

    /** The database failed during a replay by filter; says which messages were replayed before. */
    static ErrorResponseException replayInterrupted(DataAccessException e, List<MessageAdminController.ReplayView> replayed) {
        LOG.error("Replay by filter interrupted after {} messages, message store unavailable: {}", replayed.size(),
                SafeThrowables.describe(e));
        ProblemDetail problem = Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "Message store unavailable",
                "the message store failed after " + replayed.size() + " messages were replayed; the rest were not");
        problem.setProperty("replayed", replayed);
        return Problems.of(problem);
    }
}

package org.newbornregistry.adapter.error;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The registry's error catalogue. Each entry is one kind of failure with everything both
 * entrances need to report it: a stable code ({@code NBR-xxxx}) that operators and partners can
 * look up, the HL7 v2 table 0357 error code and acknowledgement code for an ERR segment, and the
 * FHIR issue type and HTTP status for an OperationOutcome.
 *
 * <p>Codes are grouped: 1xxx request and content, 2xxx search, 3xxx writes and conflicts,
 * 4xxx transactions, 5xxx HL7 v2 messages, 6xxx re-identification, 7xxx delivery to the national
 * index (outcomes of outbox rows, never answers to a caller), 9xxx internal. A code, once published, keeps its
 * meaning.
 */
public enum NbrError {

    /** The request body could not be parsed as FHIR JSON or XML. */
    UNPARSEABLE_CONTENT("NBR-1001", 400, IssueType.STRUCTURE, ErrorCode.DATA_TYPE_ERROR, AcknowledgmentCode.AR),
    /** The request body is larger than the configured limit. */
    CONTENT_TOO_LARGE("NBR-1002", 413, IssueType.TOOLONG, ErrorCode.APPLICATION_INTERNAL_ERROR, AcknowledgmentCode.AR),
    /** The resource is well-formed but breaks a rule of the registry (wrong type, id mismatch, ...). */
    INVALID_RESOURCE("NBR-1003", 400, IssueType.INVALID, ErrorCode.DATA_TYPE_ERROR, AcknowledgmentCode.AE),
    /** The resource type is not one the registry holds. */
    UNSUPPORTED_RESOURCE_TYPE("NBR-1004", 404, IssueType.NOTSUPPORTED, ErrorCode.UNSUPPORTED_MESSAGE_TYPE, AcknowledgmentCode.AR),
    /** No resource has the requested id (or version). */
    RESOURCE_NOT_FOUND("NBR-1005", 404, IssueType.NOTFOUND, ErrorCode.UNKNOWN_KEY_IDENTIFIER, AcknowledgmentCode.AE),
    /** The resource existed and was deleted. */
    RESOURCE_DELETED("NBR-1006", 410, IssueType.DELETED, ErrorCode.UNKNOWN_KEY_IDENTIFIER, AcknowledgmentCode.AE),
    /** The resource breaks base FHIR R4 or one of the registry's profiles (the validator's issues name where). */
    PROFILE_VALIDATION_FAILED("NBR-1007", 422, IssueType.INVALID, ErrorCode.DATA_TYPE_ERROR, AcknowledgmentCode.AE),

    /** A search parameter the registry does not index for this type. */
    UNKNOWN_SEARCH_PARAMETER("NBR-2001", 400, IssueType.NOTSUPPORTED, ErrorCode.DATA_TYPE_ERROR, AcknowledgmentCode.AE),
    /** A search value that does not fit its parameter's type (bad date, bad token, ...). */
    INVALID_SEARCH_VALUE("NBR-2002", 400, IssueType.INVALID, ErrorCode.DATA_TYPE_ERROR, AcknowledgmentCode.AE),
    /** A known parameter used with a modifier, chain, prefix or sort the registry does not support. */
    UNSUPPORTED_SEARCH_FEATURE("NBR-2003", 400, IssueType.NOTSUPPORTED, ErrorCode.DATA_TYPE_ERROR, AcknowledgmentCode.AE),
    /** A paging link whose stored search no longer exists. */
    SEARCH_EXPIRED("NBR-2004", 410, IssueType.EXPIRED, ErrorCode.UNKNOWN_KEY_IDENTIFIER, AcknowledgmentCode.AE),

    /** A business identifier that another resource of the same type already holds. */
    DUPLICATE_IDENTIFIER("NBR-3001", 409, IssueType.DUPLICATE, ErrorCode.DUPLICATE_KEY_IDENTIFIER, AcknowledgmentCode.AE),
    /** If-Match named a version that is not the current one. */
    VERSION_CONFLICT("NBR-3002", 412, IssueType.CONFLICT, ErrorCode.APPLICATION_RECORD_LOCKED, AcknowledgmentCode.AE),
    /** A conditional create, update, delete or reference matched more than one resource. */
    CONDITION_MULTIPLE_MATCHES("NBR-3003", 412, IssueType.MULTIPLEMATCHES, ErrorCode.DUPLICATE_KEY_IDENTIFIER, AcknowledgmentCode.AE),
    /** A conditional reference matched no resource. */
    CONDITION_NO_MATCH("NBR-3004", 412, IssueType.NOTFOUND, ErrorCode.UNKNOWN_KEY_IDENTIFIER, AcknowledgmentCode.AE),
    /** A reference to a resource that does not exist in the registry. */
    REFERENCE_NOT_FOUND("NBR-3005", 422, IssueType.NOTFOUND, ErrorCode.UNKNOWN_KEY_IDENTIFIER, AcknowledgmentCode.AE),
    /** A reference to a resource type the registry does not hold. */
    REFERENCE_UNSUPPORTED_TYPE("NBR-3006", 422, IssueType.NOTSUPPORTED, ErrorCode.UNKNOWN_KEY_IDENTIFIER, AcknowledgmentCode.AE),
    /** A delete of a resource that live resources still refer to. */
    DELETE_REFERENCED("NBR-3007", 409, IssueType.CONFLICT, ErrorCode.APPLICATION_RECORD_LOCKED, AcknowledgmentCode.AE),

    /** An update or delete of an AuditEvent: the audit log is append-only. */
    AUDIT_EVENT_APPEND_ONLY("NBR-3008", 405, IssueType.FORBIDDEN, ErrorCode.APPLICATION_RECORD_LOCKED, AcknowledgmentCode.AE),
    /** A write by a hospital on a record in another organisation's custody. */
    OTHER_ORGANISATION("NBR-3009", 403, IssueType.FORBIDDEN, ErrorCode.APPLICATION_RECORD_LOCKED, AcknowledgmentCode.AR),

    /** A transaction or batch Bundle whose structure is invalid (missing request, bad method, ...). */
    INVALID_BUNDLE("NBR-4001", 400, IssueType.INVALID, ErrorCode.SEGMENT_SEQUENCE_ERROR, AcknowledgmentCode.AE),

    /** A re-identification request without the case reference that justifies it. */
    REIDENTIFICATION_WITHOUT_CASE("NBR-6001", 400, IssueType.REQUIRED, ErrorCode.REQUIRED_FIELD_MISSING, AcknowledgmentCode.AE),
    /** The registry has no newborn under this pseudonym at the index (never delivered, or withdrawn). */
    PSEUDONYM_NOT_FOUND("NBR-6002", 404, IssueType.NOTFOUND, ErrorCode.UNKNOWN_KEY_IDENTIFIER, AcknowledgmentCode.AE),

    /** The message header (MSH) cannot be read, so nothing else can be. */
    HL7_UNREADABLE_HEADER("NBR-5001", 400, IssueType.STRUCTURE, ErrorCode.REQUIRED_FIELD_MISSING, AcknowledgmentCode.AR),
    /** MSH-9 names a message type the adapter does not take. */
    HL7_UNSUPPORTED_MESSAGE_TYPE("NBR-5002", 400, IssueType.NOTSUPPORTED, ErrorCode.UNSUPPORTED_MESSAGE_TYPE, AcknowledgmentCode.AR),
    /** MSH-9 names a trigger event the adapter does not take for its message type. */
    HL7_UNSUPPORTED_EVENT("NBR-5003", 400, IssueType.NOTSUPPORTED, ErrorCode.UNSUPPORTED_EVENT_CODE, AcknowledgmentCode.AR),
    /** MSH-12 is outside 2.3 to 2.8. */
    HL7_UNSUPPORTED_VERSION("NBR-5004", 400, IssueType.NOTSUPPORTED, ErrorCode.UNSUPPORTED_VERSION_ID, AcknowledgmentCode.AR),
    /** MSH-11 is not one this adapter is configured to accept. */
    HL7_UNSUPPORTED_PROCESSING_ID("NBR-5005", 400, IssueType.NOTSUPPORTED, ErrorCode.UNSUPPORTED_PROCESSING_ID, AcknowledgmentCode.AR),
    /** The message is damaged in a way that would lose data: segments merged, a field broken by a line break, bad MSH-2. */
    HL7_DAMAGED("NBR-5006", 400, IssueType.STRUCTURE, ErrorCode.SEGMENT_SEQUENCE_ERROR, AcknowledgmentCode.AE),
    /** A field the mapping cannot do without is empty. */
    HL7_REQUIRED_FIELD_MISSING("NBR-5007", 422, IssueType.REQUIRED, ErrorCode.REQUIRED_FIELD_MISSING, AcknowledgmentCode.AE),
    /** A field's content does not fit its data type (free text in a DTM, letters in an NM, ...). */
    HL7_DATA_TYPE_ERROR("NBR-5008", 422, IssueType.VALUE, ErrorCode.DATA_TYPE_ERROR, AcknowledgmentCode.AE),
    /** A code outside the table the mapping needs it in. */
    HL7_TABLE_VALUE_NOT_FOUND("NBR-5009", 422, IssueType.CODEINVALID, ErrorCode.TABLE_VALUE_NOT_FOUND, AcknowledgmentCode.AE),
    /** The sending facility sent this MSH-10 before with other content. */
    HL7_DUPLICATE_CONTROL_ID("NBR-5010", 409, IssueType.DUPLICATE, ErrorCode.DUPLICATE_KEY_IDENTIFIER, AcknowledgmentCode.AR),
    /** Something the mapping kept but had to interpret or could not map; reported with severity W, the message is accepted. */
    HL7_WARNING("NBR-5011", 200, IssueType.INFORMATIONAL, ErrorCode.MESSAGE_ACCEPTED, AcknowledgmentCode.AA),
    /**
     * MSH-4 (or MSH-3) names a sender that the client certificate of the connection is not bound to. Table 0357 has no
     * code for authorisation; 103 with the field as location says what the sender can check: that value is not in the
     * table of senders this connection may speak for (MSH-4.1 and MSH-3.1 are IS, values from a table).
     */
    HL7_SENDER_NOT_AUTHORISED("NBR-5012", 403, IssueType.FORBIDDEN, ErrorCode.TABLE_VALUE_NOT_FOUND, AcknowledgmentCode.AR),

    /** The national index could not be reached (connection refused, timed out); the row is tried again. */
    INDEX_UNREACHABLE("NBR-7001", 502, IssueType.TRANSIENT, ErrorCode.APPLICATION_INTERNAL_ERROR, AcknowledgmentCode.AE),
    /** The national index answered with an error; a 5xx, 408 or 429 is tried again, anything else parks the row. */
    INDEX_REFUSED("NBR-7002", 502, IssueType.EXCEPTION, ErrorCode.APPLICATION_INTERNAL_ERROR, AcknowledgmentCode.AE),

    /** The registry cannot take the message now (database unavailable); the sender should try again. */
    SERVICE_UNAVAILABLE("NBR-9001", 503, IssueType.TRANSIENT, ErrorCode.APPLICATION_INTERNAL_ERROR, AcknowledgmentCode.AR),
    /** Anything unexpected; details go to the log (without personal data), not to the caller. */
    INTERNAL_ERROR("NBR-9999", 500, IssueType.EXCEPTION, ErrorCode.APPLICATION_INTERNAL_ERROR, AcknowledgmentCode.AE);

    private final String code;
    private final int httpStatus;
    private final IssueType issueType;
    private final ErrorCode hl7ErrorCode;
    private final AcknowledgmentCode ackCode;

    NbrError(String code, int httpStatus, IssueType issueType, ErrorCode hl7ErrorCode, AcknowledgmentCode ackCode) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.issueType = issueType;
        this.hl7ErrorCode = hl7ErrorCode;
        this.ackCode = ackCode;
    }

    /** The stable code, {@code NBR-xxxx}. */
    public String code() {
        return code;
    }

    /** HTTP status a FHIR response carries for this error. */
    public int httpStatus() {
        return httpStatus;
    }

    /** FHIR OperationOutcome.issue.code. */
    public IssueType issueType() {
        return issueType;
    }

    /** HL7 v2 table 0357 code for ERR-3. */
    public ErrorCode hl7ErrorCode() {
        return hl7ErrorCode;
    }

    /** MSA-1 acknowledgement code: AR for messages that cannot be accepted at all, AE otherwise. */
    public AcknowledgmentCode ackCode() {
        return ackCode;
    }
}

package org.newbornregistry.fhir.audit;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import org.newbornregistry.adapter.audit.RestAuditEvents;

/**
 * The FHIR request the current thread serves, as the audit needs it: what interaction, by whom,
 * and whether its event was already recorded in the write's own transaction.
 */
final class RestRequestAudit {

    private static final ThreadLocal<RestRequestAudit> CURRENT = new ThreadLocal<>();

    final String interaction;
    final RestAuditEvents.Client client;
    boolean recordedWithWrite;

    private RestRequestAudit(String interaction, RestAuditEvents.Client client) {
        this.interaction = interaction;
        this.client = client;
    }

    static void begin(RestOperationTypeEnum operation, RestAuditEvents.Client client) {
        CURRENT.set(new RestRequestAudit(interaction(operation), client));
    }

    static RestRequestAudit current() {
        return CURRENT.get();
    }

    static RestRequestAudit end() {
        RestRequestAudit request = CURRENT.get();
        CURRENT.remove();
        return request;
    }

    /** The restful-interaction code of a HAPI operation type. */
    static String interaction(RestOperationTypeEnum operation) {
        if (operation == null) {
            return "operation";
        }
        return switch (operation) {
            case READ -> "read";
            case VREAD -> "vread";
            case CREATE -> "create";
            case UPDATE -> "update";
            case PATCH -> "patch";
            case DELETE -> "delete";
            case SEARCH_TYPE -> "search-type";
            case SEARCH_SYSTEM -> "search-system";
            case HISTORY_INSTANCE -> "history-instance";
            case HISTORY_TYPE -> "history-type";
            case HISTORY_SYSTEM -> "history-system";
            case TRANSACTION -> "transaction";
            case BATCH -> "batch";
            case METADATA -> "capabilities";
            default -> "operation";
        };
    }
}

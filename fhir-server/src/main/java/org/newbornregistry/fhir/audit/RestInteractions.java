package org.newbornregistry.fhir.audit;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;

/** The restful-interaction code (http://hl7.org/fhir/restful-interaction) of a HAPI operation type. */
final class RestInteractions {

    private RestInteractions() {
    }

    static String of(RestOperationTypeEnum operation) {
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

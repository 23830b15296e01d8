package org.newbornregistry.fhir.provider;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.r4.model.Bundle;
import org.newbornregistry.fhir.store.RegistryWriteService;

/** The system-level {@code transaction} and {@code batch} interactions: {@code POST [base]} with a Bundle. */
public class TransactionProvider {

    private final RegistryWriteService writes;
    private final RequestOrigins origins;

    public TransactionProvider(RegistryWriteService writes, RequestOrigins origins) {
        this.writes = writes;
        this.origins = origins;
    }

    /** transaction (atomic) and batch (entry by entry). */
    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle, RequestDetails request) {
        return writes.transaction(bundle, origins.of(request));
    }
}

package org.newbornregistry.fhir.audit;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.newbornregistry.fhir.store.RegistryWriteService;

/**
 * Stores AuditEvents through the registry's write path: inside the caller's transaction when
 * there is one (a step and its record commit together or not at all), else in a transaction of
 * their own. The database makes each one an entry of the append-only, Merkle-hashed audit log.
 */
public class AuditTrail {

    private final RegistryWriteService writes;

    public AuditTrail(RegistryWriteService writes) {
        this.writes = writes;
    }

    public void record(AuditEvent event) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(event).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");
        writes.unitOfWork(work -> work.transaction(transaction));
    }
}

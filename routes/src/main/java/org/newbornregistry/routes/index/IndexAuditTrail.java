package org.newbornregistry.routes.index;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.newbornregistry.fhir.store.RegistryWriteService;

/**
 * Stores the forwarding route's audit events through the registry's write path, inside the
 * transaction of the outbox row they describe: a step and its record commit together or not at all.
 */
final class IndexAuditTrail {

    private final RegistryWriteService writes;

    IndexAuditTrail(RegistryWriteService writes) {
        this.writes = writes;
    }

    void record(AuditEvent event) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(event).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");
        writes.unitOfWork(work -> work.transaction(transaction));
    }
}

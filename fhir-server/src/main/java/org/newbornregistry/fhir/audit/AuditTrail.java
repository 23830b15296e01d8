package org.newbornregistry.fhir.audit;

import org.hl7.fhir.r4.model.AuditEvent;
import org.newbornregistry.fhir.audit.store.AuditStore;

/**
 * Where every part of the registry records what it did: the audit store, inside the caller's
 * transaction when there is one (a step and its record commit together or not at all), else on
 * its own. Each event becomes an entry of the append-only, Merkle-hashed audit log.
 */
public class AuditTrail {

    private final AuditStore store;

    public AuditTrail(AuditStore store) {
        this.store = store;
    }

    public void record(AuditEvent event) {
        store.append(event);
    }
}

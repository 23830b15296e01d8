package org.newbornregistry.fhir.audit;

import org.hl7.fhir.r4.model.Resource;
import org.newbornregistry.adapter.audit.RestAuditEvents;
import org.newbornregistry.fhir.store.ResourceKey;
import org.newbornregistry.fhir.store.StoredVersionListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The audit event of a FHIR write, recorded in the write's own transaction: the versions a
 * request stores are collected as the write path stores them, and the event naming them is
 * written just before the transaction commits. A write that rolls back leaves no event here; the
 * interceptor then records its failure.
 */
final class RestWriteAudit implements StoredVersionListener {

    private final Set<String> types;
    private final AuditTrail trail;
    private final PatientReferences patients;
    private final Clock clock;

    RestWriteAudit(Set<String> types, AuditTrail trail, PatientReferences patients, Clock clock) {
        this.types = types;
        this.trail = trail;
        this.patients = patients;
        this.clock = clock;
    }

    @Override
    public Set<String> types() {
        return types;
    }

    @Override
    public void stored(ResourceKey key, long version, Resource resource, boolean deleted, java.time.Instant when) {
        RestRequestAudit request = RestRequestAudit.current();
        if (request == null || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        Written written = (Written) TransactionSynchronizationManager.getResource(this);
        if (written == null) {
            written = new Written(request);
            TransactionSynchronizationManager.bindResource(this, written);
            TransactionSynchronizationManager.registerSynchronization(written);
        }
        written.entities.add(key.type() + "/" + key.id() + "/_history/" + version);
        patients.collect(resource, written.patients);
    }

    /** What one transaction of a request wrote. */
    private final class Written implements TransactionSynchronization {
        private final RestRequestAudit request;
        private final Set<String> entities = new LinkedHashSet<>();
        private final Set<String> patients = new LinkedHashSet<>();

        Written(RestRequestAudit request) {
            this.request = request;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            TransactionSynchronizationManager.unbindResource(RestWriteAudit.this);
            trail.record(RestAuditEvents.interaction(clock.instant(), request.interaction, 200, request.client,
                    entities, patients, null));
            request.recordedWithWrite = true;
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(RestWriteAudit.this);
        }
    }
}

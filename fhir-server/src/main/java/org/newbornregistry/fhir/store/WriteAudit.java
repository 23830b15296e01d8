package org.newbornregistry.fhir.store;

import org.hl7.fhir.r4.model.Resource;

import java.util.List;

/**
 * Records a write's audit event in the write's own transaction, from what it stored: the write's
 * origin carries it ({@link WriteOrigin#audit()}), so the event and the versions it names commit
 * together or not at all, and a write that rolls back leaves no event.
 */
@FunctionalInterface
public interface WriteAudit {

    /**
     * One version a transaction stored.
     *
     * @param resource its content; for a delete, the content of the version it deletes, or null when there was none
     */
    record Written(ResourceKey key, long version, Resource resource) {
    }

    /** Records the event of one transaction that stored {@code written}, before it commits. */
    void record(List<Written> written);
}

package org.newbornregistry.fhir.store;

import org.hl7.fhir.r4.model.Resource;

import java.time.Instant;
import java.util.Set;

/**
 * Told of every version the write path stores, inside the same database transaction, whichever
 * entrance it came through (FHIR REST, a transaction Bundle, an HL7 message). What a listener
 * writes commits with the version or not at all: this is how the outbox towards the national index
 * is filled without a window in which a genotype is stored but its submission forgotten.
 */
public interface StoredVersionListener {

    /** The resource types whose versions this listener is shown. */
    Set<String> types();

    /**
     * A version was stored.
     *
     * @param key      the resource
     * @param version  the version just stored
     * @param resource its content, references resolved to local ids; for a delete, the content of the version it deletes
     * @param deleted  whether this version deletes the resource
     * @param when     its lastUpdated
     */
    void stored(ResourceKey key, long version, Resource resource, boolean deleted, Instant when);
}

package org.newbornregistry.fhir.store;

import org.hl7.fhir.instance.model.api.IBaseResource;

import java.time.Instant;

/**
 * What one write did.
 *
 * @param key         the resource written (or found, or deleted)
 * @param version     its version after the write
 * @param lastUpdated when that version was written
 * @param kind        what happened
 * @param resource    the resource as stored, with id and meta; null after a delete
 */
public record WriteOutcome(ResourceKey key, long version, Instant lastUpdated, Kind kind, IBaseResource resource) {

    /** What a write did. */
    public enum Kind {
        /** A new resource was created (HTTP 201). */
        CREATED,
        /** A new version of an existing resource was stored (HTTP 200). */
        UPDATED,
        /** The request changed nothing: a conditional create that matched, or an update to identical content (HTTP 200). */
        UNCHANGED,
        /** The resource was deleted, or already was (HTTP 200/204). */
        DELETED
    }

    /** Whether the write created the resource. */
    public boolean created() {
        return kind == Kind.CREATED;
    }
}

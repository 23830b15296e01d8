package org.newbornregistry.fhir.store;

import java.time.Instant;

/**
 * One version of a resource as the store keeps it.
 *
 * @param pid         internal key of the logical resource
 * @param type        resource type
 * @param id          logical id
 * @param version     version number, from 1
 * @param lastUpdated when this version was written
 * @param method      POST, PUT or DELETE: the interaction that wrote it, for history bundles
 * @param content     the resource as FHIR JSON, null when this version is a deletion
 */
public record StoredResource(
        long pid, String type, String id, long version, Instant lastUpdated, String method, String content) {

    /** Whether this version records a deletion. */
    public boolean isDeleted() {
        return content == null;
    }
}

package org.newbornregistry.fhir.store;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;

/**
 * Erasure, the one exception to "versions are never rewritten": when a parent withdraws consent
 * (or retention ends) a genotype must be gone, its history included. Every version's content is
 * removed with its search index, identifiers and references; what remains is the logical
 * resource marked deleted by one content-less version, so that a read answers 410 Gone and the
 * history says a resource existed and was erased. The audit trail records who and why.
 */
public class ResourceEraser {

    private final JdbcTemplate jdbc;
    private final ResourceStore store;

    public ResourceEraser(JdbcTemplate jdbc, ResourceStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    /**
     * Erases a resource; must run inside a transaction.
     *
     * @return how many versions held content, 0 if the resource does not exist
     */
    public int erase(ResourceKey key, Instant now) {
        var row = store.lockCurrent(key);
        if (row.isEmpty()) {
            return 0;
        }
        long pid = row.get().pid();
        int versions = jdbc.update("delete from resource_version where res_pid = ?", pid);
        store.deleteSearchRows(pid);
        store.deleteIdentifiers(pid);
        long erasedVersion = row.get().version() + 1;
        Instant at = now.isAfter(row.get().lastUpdated()) ? now : row.get().lastUpdated().plusMillis(1);
        store.updateResource(pid, erasedVersion, at, true);
        store.insertVersion(pid, key, erasedVersion, at, "DELETE", null);
        return versions;
    }
}

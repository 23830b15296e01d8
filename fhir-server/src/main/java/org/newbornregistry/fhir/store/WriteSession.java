package org.newbornregistry.fhir.store;

import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.RegistryErrors;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One database transaction's worth of writes: a single interaction or a whole transaction
 * Bundle. It shares one timestamp among its writes and defers the checks that only make sense
 * once every write is done: that references point at resources that exist, and that nothing
 * still refers to what was deleted. This is what lets a Bundle create a resource and refer to
 * it, or delete two resources that refer to each other, in any entry order.
 */
final class WriteSession {

    private static final int MAX_REPORTED = 5;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final Map<ResourceKey, Location> references = new LinkedHashMap<>();
    private final Map<ResourceKey, Integer> deleted = new LinkedHashMap<>();
    private Integer entry;

    /** The lastUpdated of every version this session writes. */
    Instant now() {
        return now;
    }

    /** Marks the Bundle entry the following writes belong to (null outside Bundles), so errors can name it. */
    void atEntry(Integer index) {
        entry = index;
    }

    /** Records that the element at {@code path} refers to {@code target}, to be checked at the end. */
    void referenced(ResourceKey target, String path) {
        references.putIfAbsent(target, new Location(entry, path));
    }

    /** Records a deletion, to check at the end that nothing live still refers to it. */
    void deleted(ResourceKey key) {
        deleted.putIfAbsent(key, entry);
    }

    /** Runs the deferred checks; throws if one fails, which rolls the whole session back. */
    void verify(ResourceStore store) {
        if (!references.isEmpty()) {
            Set<ResourceKey> existing = store.existing(references.keySet());
            for (Map.Entry<ResourceKey, Location> reference : references.entrySet()) {
                if (!existing.contains(reference.getKey())) {
                    Location at = reference.getValue();
                    throw RegistryErrors.exception(NbrError.REFERENCE_NOT_FOUND,
                            at.prefix() + at.path() + " refers to " + reference.getKey() + ", which is not in the registry",
                            at.expression());
                }
            }
        }
        if (!deleted.isEmpty()) {
            List<ResourceStore.Referral> referrals = store.referralsTo(deleted.keySet(), MAX_REPORTED);
            if (!referrals.isEmpty()) {
                ResourceStore.Referral first = referrals.get(0);
                Location at = new Location(deleted.get(first.target()), null);
                throw RegistryErrors.exception(NbrError.DELETE_REFERENCED,
                        at.prefix() + first.target() + " cannot be deleted: " + first.source()
                                + " refers to it through '" + first.param() + "'"
                                + (referrals.size() > 1 ? " (and others)" : ""), at.expression());
            }
        }
    }

    /** Where something was written: the Bundle entry (null outside Bundles) and the element path. */
    private record Location(Integer entry, String path) {
        String prefix() {
            return entry == null ? "" : "Bundle.entry[" + entry + "]: ";
        }

        String expression() {
            if (entry == null) {
                return path;
            }
            String bundlePath = "Bundle.entry[" + entry + "]";
            return path == null ? bundlePath : bundlePath + ".resource" + path.substring(path.indexOf('.'));
        }
    }
}

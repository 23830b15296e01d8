package org.newbornregistry.fhir.store;

import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.RegistryErrors;

import org.hl7.fhir.r4.model.Resource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
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
    private final WriteOrigin origin;
    private final Map<ResourceKey, Location> references = new LinkedHashMap<>();
    private final Map<ResourceKey, Integer> deleted = new LinkedHashMap<>();
    private final Map<Long, Claim> claims = new LinkedHashMap<>();
    private final Set<String> plannedIds = new HashSet<>();
    private final Map<ResourceKey, ResourceStore.PendingCreate> pendingCreates = new LinkedHashMap<>();
    private final Map<Long, ResourceStore.PendingIndex> pendingIndexes = new LinkedHashMap<>();
    private final List<WriteAudit.Written> written = new ArrayList<>();
    private Integer entry;

    WriteSession(WriteOrigin origin) {
        this.origin = origin;
    }

    /** This server's base URL, or null when the writes do not come over HTTP. */
    String serverBase() {
        return origin.serverBase();
    }

    /** Who the writes come from. */
    WriteOrigin origin() {
        return origin;
    }

    /** Whether the versions this session stores are recorded in an audit event of the origin's. */
    boolean audited() {
        return origin.audit() != null;
    }

    /** Notes a version stored, for the origin's audit event. */
    void wrote(ResourceKey key, long version, Resource resource) {
        if (audited()) {
            written.add(new WriteAudit.Written(key, version, resource));
        }
    }

    /** Records the origin's audit event of what this session stored, if it stored anything and the origin audits. */
    void recordAudit() {
        if (audited() && !written.isEmpty()) {
            origin.audit().record(List.copyOf(written));
        }
    }

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

    /**
     * Queues the search index and local references of a written version. They are inserted in
     * one statement with the session's new resources, before anything in the session searches and
     * before it commits.
     */
    void index(ResourceStore.PendingIndex index) {
        pendingIndexes.put(index.pid(), index);
    }

    /** Drops the queued index of a resource deleted in this session. */
    void discardIndex(long pid) {
        pendingIndexes.remove(pid);
    }

    /**
     * Queues a new resource with its first version, to be inserted with the index rows. Until then
     * only this session knows it: whatever reads the resource table for it must {@link #flush} first.
     */
    void create(ResourceStore.PendingCreate create) {
        pendingCreates.put(create.key(), create);
    }

    /** Notes the new server-assigned id a Bundle entry of this session will be created under. */
    void planNew(ResourceKey key) {
        plannedIds.add(key.id());
    }

    /**
     * Whether {@code id} is a new id this session plans to create a resource under: nothing stored can refer to it
     * yet, and no other transaction knows it.
     */
    boolean plannedNew(String id) {
        return plannedIds.contains(id);
    }

    /** Whether {@code key} was created in this session and is not inserted yet. */
    boolean pending(ResourceKey key) {
        return pendingCreates.containsKey(key);
    }

    /** Inserts the queued new resources and index rows, so that searches and reads see this session's writes. */
    void flush(ResourceStore store) {
        if (!pendingCreates.isEmpty() || !pendingIndexes.isEmpty()) {
            store.insertPending(pendingCreates.values(), pendingIndexes.values());
            pendingCreates.clear();
            pendingIndexes.clear();
        }
    }

    /**
     * When a version written now, replacing one written at {@code previous}, is stamped: the
     * session's time, but never earlier than the previous version, so that a resource's versions
     * and their lastUpdated agree in order even when this transaction waited for a lock.
     */
    Instant stampAfter(Instant previous) {
        Instant next = previous.plusMillis(1);
        return next.isAfter(now) ? next : now;
    }

    /** Records a deletion, to check at the end that nothing live still refers to it. */
    void deleted(long pid, ResourceKey key) {
        deleted.putIfAbsent(key, entry);
        claims.remove(pid);
    }

    /**
     * Records the business identifiers a written resource claims. They are taken at the end, after
     * every write of the session, so that one transaction can move an identifier from one resource
     * to another (marking it {@code use=old} on the first) in any entry order.
     */
    void claimIdentifiers(long pid, ResourceKey key, Set<BusinessIdentifier> identifiers, boolean fresh) {
        Claim earlier = claims.get(pid);
        claims.put(pid, new Claim(key, identifiers, earlier == null ? fresh : earlier.fresh(), entry));
    }

    /** Runs the deferred checks; throws if one fails, which rolls the whole session back. */
    void verify(ResourceStore store) {
        flush(store);
        List<Long> replaced = claims.entrySet().stream().filter(c -> !c.getValue().fresh()).map(Map.Entry::getKey).toList();
        store.deleteIdentifiers(replaced);
        List<ResourceStore.IdentifierClaim> wanted = new java.util.ArrayList<>();
        Map<String, Long> claimedHere = new java.util.HashMap<>();
        claims.forEach((pid, claim) -> claim.identifiers().forEach(identifier -> {
            Long earlier = claimedHere.putIfAbsent(claim.key().type() + "|" + identifier.system() + "|" + identifier.value(), pid);
            if (earlier != null && earlier != pid.longValue()) {
                // Why: one statement inserts all claims, and it cannot see two of its own rows conflict.
                Location at = new Location(claim.entry(), claim.key().type() + ".identifier");
                throw RegistryErrors.exception(NbrError.DUPLICATE_IDENTIFIER, at.prefix() + "an identifier with system "
                        + identifier.system() + " is already held by " + claims.get(earlier).key(), at.expression());
            }
            wanted.add(new ResourceStore.IdentifierClaim(pid, claim.key().type(), identifier));
        }));
        List<ResourceStore.IdentifierConflict> conflicts = store.insertIdentifiers(wanted);
        if (!conflicts.isEmpty()) {
            ResourceStore.IdentifierConflict conflict = conflicts.get(0);
            Claim claim = claims.get(conflict.claim().pid());
            Location at = new Location(claim.entry(), claim.key().type() + ".identifier");
            // Why not the holder's id: it may be another organisation's record, whose existence is not the writer's to learn.
            throw RegistryErrors.exception(NbrError.DUPLICATE_IDENTIFIER,
                    at.prefix() + "an identifier with system " + conflict.claim().identifier().system()
                            + " is already held by another " + conflict.holder().type() + " record", at.expression());
        }
        if (!references.isEmpty()) {
            Set<ResourceKey> existing = new java.util.HashSet<>(store.existingLockedAgainstDelete(references.keySet()));
            if (origin.restrictedTo() != null) {
                // Why: a write confined to one organisation may not link to another's records (a hospital's consent on
                // another's newborn); such a record is, to it, not there, which also keeps its existence unsaid.
                existing.removeAll(store.outsideCustodyOf(existing.stream().filter(k -> Custodian.isHeld(k.type())).toList(),
                        origin.restrictedTo()));
            }
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
                                + " refers to it at " + first.path()
                                + (referrals.size() > 1 ? " (and others)" : ""), at.expression());
            }
        }
    }

    /** Identifiers a resource written in this session claims; {@code fresh} when it had none before. */
    private record Claim(ResourceKey key, Set<BusinessIdentifier> identifiers, boolean fresh, Integer entry) {
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

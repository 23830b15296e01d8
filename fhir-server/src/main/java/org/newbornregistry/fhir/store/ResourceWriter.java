package org.newbornregistry.fhir.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.UrlUtil;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Resource;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.RegistryErrors;
import org.newbornregistry.fhir.search.ResourceSearcher;
import org.newbornregistry.fhir.search.SearchParameterRegistry;
import org.newbornregistry.fhir.search.SearchQuery;
import org.newbornregistry.fhir.search.SearchQueryParser;
import org.newbornregistry.fhir.search.SearchRowExtractor;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The writes of the store inside an open database transaction: create, update and delete with
 * their conditional forms, each one storing a new version, its search index and its business
 * identifiers. {@link RegistryWriteService} owns the transactions; this class assumes one.
 */
final class ResourceWriter {

    /** FHIR's id syntax: https://hl7.org/fhir/R4/datatypes.html#id */
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final FhirContext fhirContext;
    private final SearchParameterRegistry registry;
    private final SearchQueryParser queryParser;
    private final ResourceSearcher searcher;
    private final SearchRowExtractor extractor;
    private final ResourceCodec codec;
    private final ResourceStore store;
    private final List<StoredVersionListener> listeners;
    private final CustodianDirectory custodians;

    ResourceWriter(FhirContext fhirContext, SearchParameterRegistry registry, SearchQueryParser queryParser,
                   ResourceSearcher searcher, SearchRowExtractor extractor, ResourceCodec codec, ResourceStore store,
                   List<StoredVersionListener> listeners, CustodianDirectory custodians) {
        this.fhirContext = fhirContext;
        this.registry = registry;
        this.queryParser = queryParser;
        this.searcher = searcher;
        this.extractor = extractor;
        this.codec = codec;
        this.store = store;
        this.listeners = List.copyOf(listeners);
        this.custodians = custodians;
    }

    /** Creates a resource with a new server-assigned id, unless {@code ifNoneExist} matches one. */
    WriteOutcome create(WriteSession session, Resource resource, String ifNoneExist) {
        String type = requireSupported(resource.fhirType());
        if (ifNoneExist != null) {
            List<StoredResource> matches = matchConditionLockingIfAbsent(session, type, ifNoneExist, "If-None-Exist");
            if (matches.size() == 1) {
                StoredResource existing = matches.get(0);
                return new WriteOutcome(new ResourceKey(type, existing.id()), existing.version(),
                        existing.lastUpdated(), WriteOutcome.Kind.UNCHANGED, codec.decode(existing));
            }
        }
        return createAs(session, new ResourceKey(type, newId()), resource);
    }

    /** Creates a resource under an id the server assigned beforehand (transaction Bundles plan ids first). */
    WriteOutcome createAs(WriteSession session, ResourceKey key, Resource resource) {
        return createAs(session, key, resource, "POST");
    }

    /**
     * Creates a resource under a new server-assigned id. The id is new, so no row can exist or
     * be created concurrently: nothing is locked, and the resource and its first version wait in
     * the session to be inserted with the rest of its rows.
     *
     * @param method the interaction its history shows: POST, or PUT for a conditional update that created it
     */
    WriteOutcome createAs(WriteSession session, ResourceKey key, Resource resource, String method) {
        requireSupported(key.type());
        Custodian.assign(resource, custodianOfNew(session, resource));
        return writeVersion(session, null, key, 1, session.now(), resource, method, WriteOutcome.Kind.CREATED);
    }

    /** Inserts the session's pending rows when {@code key} is among them, so that its row can be locked and read. */
    private void flushIfCreatedHere(WriteSession session, ResourceKey key) {
        if (session.pending(key)) {
            session.flush(store);
        }
    }

    /** A new server-assigned logical id. */
    static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Stores a new version of the resource with this id, or creates it with this id if it does
     * not exist (update as create).
     *
     * @param ifMatchVersion the version the client expects to replace, or null
     */
    WriteOutcome update(WriteSession session, ResourceKey key, Long ifMatchVersion, Resource resource) {
        return update(session, key, ifMatchVersion, resource, null);
    }

    /**
     * {@link #update(WriteSession, ResourceKey, Long, Resource)}, merged into the stored version
     * as {@code partial} says when it is not null (HL7 v2 update semantics).
     */
    WriteOutcome update(WriteSession session, ResourceKey key, Long ifMatchVersion, Resource resource, PartialUpdate partial) {
        checkKey(key, resource);
        flushIfCreatedHere(session, key);
        while (true) {
            Optional<ResourceStore.ResourceRow> current = store.lockCurrent(key);
            if (current.isEmpty()) {
                if (ifMatchVersion != null) {
                    throw RegistryErrors.exception(NbrError.VERSION_CONFLICT,
                            "If-Match names version " + ifMatchVersion + " of " + key + ", which does not exist");
                }
                Optional<Long> pid = store.insertResource(key, 1, session.now(), false);
                if (pid.isPresent()) {
                    Custodian.assign(resource, custodianOfNew(session, resource));
                    return writeVersion(session, pid.get(), key, 1, session.now(), resource, "PUT", WriteOutcome.Kind.CREATED);
                }
                continue; // created concurrently: lock it and update it
            }
            ResourceStore.ResourceRow row = current.get();
            if (ifMatchVersion != null && ifMatchVersion != row.version()) {
                throw RegistryErrors.exception(NbrError.VERSION_CONFLICT,
                        "If-Match names version " + ifMatchVersion + " of " + key
                                + " but the current version is " + row.version());
            }
            Set<BusinessIdentifier> held = Set.of();
            if (row.deleted()) {
                Custodian.assign(resource, custodianOfNew(session, resource));
            } else {
                StoredResource latest = store.readCurrent(key).orElseThrow();
                Resource stored = (Resource) codec.decode(latest);
                held = BusinessIdentifier.of(stored);
                String custodian = Custodian.of(stored).orElse(null);
                requireCustodian(session, key, custodian);
                if (partial != null) {
                    resource = partial.applyTo(fhirContext, stored, resource);
                }
                Custodian.assign(resource, custodian);
                if (unchanged(stored, resource)) {
                    return new WriteOutcome(key, latest.version(), latest.lastUpdated(), WriteOutcome.Kind.UNCHANGED, stored);
                }
            }
            long version = row.version() + 1;
            Instant stamp = session.stampAfter(row.lastUpdated());
            store.updateResource(row.pid(), version, stamp, false);
            return writeVersion(session, row.pid(), key, version, stamp, resource, "PUT",
                    row.deleted() ? WriteOutcome.Kind.CREATED : WriteOutcome.Kind.UPDATED, held);
        }
    }

    /** Updates the one resource matching a search URL, or creates it if none matches. */
    WriteOutcome conditionalUpdate(WriteSession session, String type, String conditionalUrl, Resource resource) {
        return conditionalUpdate(session, type, conditionalUrl, resource, null);
    }

    /** {@link #conditionalUpdate(WriteSession, String, String, Resource)}, partial when {@code partial} is not null. */
    WriteOutcome conditionalUpdate(WriteSession session, String type, String conditionalUrl, Resource resource,
                                   PartialUpdate partial) {
        requireSupported(type);
        List<StoredResource> matches = matchCondition(session, type, conditionalUrl, "the conditional update URL");
        String bodyId = resource.getIdElement().getIdPart();
        if (matches.isEmpty()) {
            if (bodyId != null) {
                return update(session, new ResourceKey(type, bodyId), null, resource, partial);
            }
            return create(session, resource, null);
        }
        String matchedId = matches.get(0).id();
        if (bodyId != null && !bodyId.equals(matchedId)) {
            throw RegistryErrors.exception(NbrError.INVALID_RESOURCE,
                    "the resource's id differs from the id of the resource the condition matched", type + ".id");
        }
        return update(session, new ResourceKey(type, matchedId), null, resource, partial);
    }

    /** Deletes a resource; deleting one that is already deleted changes nothing. */
    WriteOutcome delete(WriteSession session, ResourceKey key) {
        requireSupported(key.type());
        flushIfCreatedHere(session, key);
        ResourceStore.ResourceRow row = store.lockCurrent(key).orElseThrow(() ->
                RegistryErrors.exception(NbrError.RESOURCE_NOT_FOUND, key + " is not in the registry"));
        if (row.deleted()) {
            return new WriteOutcome(key, row.version(), row.lastUpdated(), WriteOutcome.Kind.DELETED, null);
        }
        long version = row.version() + 1;
        Instant stamp = session.stampAfter(row.lastUpdated());
        boolean confined = session.origin().restrictedTo() != null;
        Resource before = listening(key.type()) || confined || session.audited()
                ? store.readCurrent(key).map(codec::decode).map(Resource.class::cast).orElse(null) : null;
        if (confined && before != null) {
            requireCustodian(session, key, Custodian.of(before).orElse(null));
        }
        store.updateResource(row.pid(), version, stamp, true);
        store.insertVersion(row.pid(), key, version, stamp, "DELETE", null);
        if (before != null && listening(key.type())) {
            tell(key, version, before, true, stamp);
        }
        session.wrote(key, version, before);
        session.discardIndex(row.pid());
        store.deleteSearchRows(row.pid());
        store.deleteIdentifiers(row.pid());
        session.deleted(row.pid(), key);
        return new WriteOutcome(key, version, stamp, WriteOutcome.Kind.DELETED, null);
    }

    /** Deletes the one resource matching a search URL; none matching changes nothing. */
    Optional<WriteOutcome> conditionalDelete(WriteSession session, String type, String conditionalUrl) {
        requireSupported(type);
        List<StoredResource> matches = matchCondition(session, type, conditionalUrl, "the conditional delete URL");
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(delete(session, new ResourceKey(type, matches.get(0).id())));
    }

    /**
     * Resolves a search URL ({@code Type?params} or just {@code params}) used as a condition. At
     * most one match is allowed. Takes a transaction-scoped lock on the condition first, so two
     * writers with the same condition run one after the other and the second sees the first's
     * result: this is what makes conditional update and delete race-free.
     */
    List<StoredResource> matchCondition(WriteSession session, String type, String url, String what) {
        return matchCondition(session, type, url, what, false);
    }

    /**
     * {@link #matchCondition} for a condition that only decides whether something is created (If-None-Exist, a
     * Bundle entry's ifNoneExist) or only finds what a reference points to: a committed match is the answer
     * without taking the lock, since no concurrent writer can create a second one that wins over it; only when
     * nothing matches is the condition locked and searched again, so that concurrent creators of the same record
     * still run one after the other. Why: the records every message of a sender shares (its ordering provider, its
     * lab) exist after the first message, and locking their condition until commit serialised all those messages.
     */
    List<StoredResource> matchConditionLockingIfAbsent(WriteSession session, String type, String url, String what) {
        return matchCondition(session, type, url, what, true);
    }

    private List<StoredResource> matchCondition(WriteSession session, String type, String url, String what,
                                                boolean existingMatchIsFinal) {
        int question = url.indexOf('?');
        String queryString = question >= 0 ? url.substring(question + 1) : url;
        Map<String, String[]> params = new TreeMap<>(UrlUtil.parseQueryString(queryString));
        if (params.isEmpty()) {
            throw RegistryErrors.exception(NbrError.INVALID_RESOURCE, what + " has no search parameters");
        }
        SearchQuery query = queryParser.parse(type, confined(session, type, params), null);
        if (query.criteria().isEmpty()) {
            throw RegistryErrors.exception(NbrError.INVALID_RESOURCE,
                    what + " has no search criteria and would match every " + type);
        }
        if (refersOnlyToResourcesPlannedHere(session, query)) {
            return List.of();
        }
        if (existingMatchIsFinal) {
            List<StoredResource> matches = search(session, type, query, what, null);
            if (!matches.isEmpty()) {
                return matches;
            }
        }
        StringBuilder lockKey = new StringBuilder(type).append('?');
        params.forEach((name, values) -> lockKey.append(name).append('=').append(String.join(",", values)).append('&'));
        return search(session, type, query, what, lockKey.toString());
    }

    /**
     * Whether a criterion of the condition can only be met by a reference to a resource this session is about to
     * create (a birth's mother, encounter and observations are conditioned on the newborn the same message
     * creates): nothing can match it, so neither the search nor the lock is needed — nothing stored refers to the
     * new id yet, and no concurrent writer knows it.
     */
    private static boolean refersOnlyToResourcesPlannedHere(WriteSession session, SearchQuery query) {
        return query.criteria().stream().anyMatch(criterion -> criterion.modifier() == SearchQuery.Modifier.NONE
                && !criterion.anyOf().isEmpty()
                && criterion.anyOf().stream().allMatch(value -> value instanceof SearchQuery.ReferenceValue reference
                        && reference.id() != null && session.plannedNew(reference.id())));
    }

    /** @param lockKey the condition's lock to take before searching, or null to search without it */
    private List<StoredResource> search(WriteSession session, String type, SearchQuery query, String what, String lockKey) {
        session.flush(store);
        List<StoredResource> matches = lockKey == null
                ? searcher.findForCondition(query, 2)
                : searcher.findForConditionAfterLock(lockKey, query, 2);
        if (matches.size() > 1) {
            throw RegistryErrors.exception(NbrError.CONDITION_MULTIPLE_MATCHES,
                    what + " matches more than one " + type);
        }
        return matches;
    }

    /**
     * The condition's parameters, narrowed to the records of the organisation the session is
     * confined to: a hospital's condition cannot match, and so cannot reveal or change, another's.
     * The directory, which no organisation holds, is matched whole.
     */
    private static Map<String, String[]> confined(WriteSession session, String type, Map<String, String[]> params) {
        String organisation = session.origin().restrictedTo();
        return organisation == null || !Custodian.isHeld(type) ? params : Custodian.narrowed(params, organisation);
    }

    /** Refuses (403) a write confined to one organisation's records on a resource in another's custody. */
    private static void requireCustodian(WriteSession session, ResourceKey key, String custodian) {
        String organisation = session.origin().restrictedTo();
        if (organisation != null && !organisation.equals(custodian)) {
            throw RegistryErrors.exception(NbrError.OTHER_ORGANISATION,
                    key + " is not in the custody of the organisation the request comes from");
        }
    }

    /**
     * The custodian of a record about to be created. A write confined to one organisation creates
     * in that organisation's custody; a lab, the registry or a lab's result may create a record first
     * (a result before the birth record), which is then the record of the organisation whose
     * identifier it carries, if exactly one known organisation other than the writer assigned its
     * identifiers, else the writer's.
     */
    private String custodianOfNew(WriteSession session, Resource resource) {
        WriteOrigin origin = session.origin();
        if (origin.restrictedTo() != null || !Custodian.isHeld(resource.fhirType())) {
            return origin.custodian();
        }
        Set<String> assigners = new LinkedHashSet<>();
        BusinessIdentifier.systems(resource).forEach(system -> custodians.assignerOf(system).ifPresent(assigners::add));
        // Why: the lab's own filler id beside the hospital's specimen id does not make the specimen the lab's.
        assigners.remove(origin.custodian());
        return assigners.size() == 1 ? assigners.iterator().next() : origin.custodian();
    }

    /**
     * Refuses (403 {@code NBR-3009}) a write confined to one organisation's custody that gives a
     * record an identifier another known organisation assigns: only that organisation may register
     * it. An identifier the record held already (a lab's filler id on the hospital's specimen) stays.
     *
     * @param held the identifiers the stored version claims; empty for a new record
     */
    private void requireOwnIdentifiers(WriteSession session, Resource resource, Set<BusinessIdentifier> held) {
        if (session.origin().restrictedTo() == null || !Custodian.isHeld(resource.fhirType())) {
            return;
        }
        String custodian = Custodian.of(resource).orElse(null);
        for (BusinessIdentifier identifier : BusinessIdentifier.of(resource)) {
            if (held.contains(identifier)) {
                continue;
            }
            Optional<String> assigner = custodians.assignerOf(identifier.system());
            if (assigner.isPresent() && !assigner.get().equals(custodian)) {
                throw RegistryErrors.exception(NbrError.OTHER_ORGANISATION, "an identifier of " + resource.fhirType()
                        + ".identifier is assigned by another organisation, which alone may register it",
                        resource.fhirType() + ".identifier");
            }
        }
    }

    /** @param existingPid the resource row's pid, or null to insert the row with this first version */
    private WriteOutcome writeVersion(WriteSession session, Long existingPid, ResourceKey key, long version, Instant stamp,
                                      Resource resource, String method, WriteOutcome.Kind kind) {
        return writeVersion(session, existingPid, key, version, stamp, resource, method, kind, Set.of());
    }

    /** @param held the identifiers the version this one replaces claims */
    private WriteOutcome writeVersion(WriteSession session, Long existingPid, ResourceKey key, long version, Instant stamp,
                                      Resource resource, String method, WriteOutcome.Kind kind, Set<BusinessIdentifier> held) {
        requireOwnIdentifiers(session, resource, held);
        custodians.known(Custodian.of(resource).orElse(null));
        resource.setId(new IdType(key.type(), key.id(), Long.toString(version)));
        Meta meta = resource.getMeta();
        meta.setVersionId(Long.toString(version));
        meta.setLastUpdatedElement(new InstantType(Date.from(stamp)));
        Set<ResourceStore.Link> links = checkReferences(session, resource);

        String json = codec.encode(resource);
        long pid;
        if (existingPid == null) {
            pid = store.newPid();
            session.create(new ResourceStore.PendingCreate(pid, key, stamp, method, json));
        } else {
            pid = existingPid;
            store.insertVersion(pid, key, version, stamp, method, json);
        }
        // Why: a first version, or one after a delete, has no index rows or identifiers to replace.
        boolean fresh = version == 1 || kind == WriteOutcome.Kind.CREATED;
        if (!fresh) {
            store.deleteSearchRows(pid);
        }
        session.index(new ResourceStore.PendingIndex(pid, key.type(), extractor.extract(resource), links));
        session.claimIdentifiers(pid, key, BusinessIdentifier.of(resource), fresh);
        if (listening(key.type())) {
            tell(key, version, resource, false, stamp);
        }
        session.wrote(key, version, resource);
        return new WriteOutcome(key, version, stamp, kind, resource);
    }

    private boolean listening(String type) {
        return listeners.stream().anyMatch(l -> l.types().contains(type));
    }

    private void tell(ResourceKey key, long version, Resource resource, boolean deleted, Instant stamp) {
        listeners.stream().filter(l -> l.types().contains(key.type()))
                .forEach(l -> l.stored(key, version, resource, deleted, stamp));
    }

    /**
     * Checks every reference of a resource about to be stored, in place: an absolute reference
     * to this server becomes relative, a conditional reference ({@code Patient?identifier=...})
     * is resolved to the one resource it matches, and every local reference is recorded for the
     * session's end-of-transaction existence check. {@code urn:} placeholders are only
     * meaningful inside a transaction Bundle, which resolves them before this runs.
     *
     * @return the local references, for the delete check
     */
    private Set<ResourceStore.Link> checkReferences(WriteSession session, Resource resource) {
        Set<ResourceStore.Link> links = new LinkedHashSet<>();
        for (ReferencePaths.Found found : ReferencePaths.of(fhirContext, resource)) {
            IBaseReference reference = found.reference();
            String text = reference.getReferenceElement().getValue();
            String location = found.path();
            if (text == null || text.startsWith("#")) {
                continue;
            }
            if (session.serverBase() != null && text.startsWith(session.serverBase() + "/")) {
                text = text.substring(session.serverBase().length() + 1);
                reference.setReference(text);
            }
            if (resource instanceof AuditEvent) {
                // Why: an audit record names what it is about as it was asked for, existing or not (a delete's event names
                // the deleted resource, a refused request's event what it asked for), and must not make it undeletable.
                continue;
            }
            if (text.startsWith("urn:")) {
                throw RegistryErrors.exception(NbrError.REFERENCE_NOT_FOUND, "the reference at " + location
                        + " is a urn: placeholder, which only an entry of the same transaction Bundle can resolve",
                        location);
            }
            if (UrlUtil.isAbsolute(text)) {
                continue;
            }
            if (text.contains("?")) {
                String type = text.substring(0, text.indexOf('?'));
                requireSupportedReference(type, location);
                List<StoredResource> matches = matchConditionLockingIfAbsent(session, type, text, "the conditional reference at " + location);
                if (matches.isEmpty()) {
                    throw RegistryErrors.exception(NbrError.CONDITION_NO_MATCH,
                            "the conditional reference at " + location + " matches no " + type, location);
                }
                text = type + "/" + matches.get(0).id();
                reference.setReference(text);
            }
            IIdType target = new IdType(text);
            if (!target.hasResourceType() || !target.hasIdPart()) {
                throw RegistryErrors.exception(NbrError.INVALID_RESOURCE,
                        "the reference at " + location + " is neither Type/id, a search URL nor an absolute URL",
                        location);
            }
            requireSupportedReference(target.getResourceType(), location);
            ResourceKey key = ResourceKey.of(target);
            session.referenced(key, location);
            links.add(new ResourceStore.Link(location, key));
        }
        return links;
    }

    /** Whether {@code resource} is the stored version again, apart from its id and meta stamps. */
    private static boolean unchanged(Resource stored, Resource resource) {
        Resource candidate = resource.copy();
        candidate.setIdElement(stored.getIdElement());
        candidate.getMeta().setVersionIdElement(stored.getMeta().getVersionIdElement())
                .setLastUpdatedElement(stored.getMeta().getLastUpdatedElement());
        return candidate.equalsDeep(stored);
    }

    /** Refuses (400) an update whose type the registry does not hold, whose id is not a FHIR id, or whose type differs from the URL's. */
    void checkKey(ResourceKey key, Resource resource) {
        requireSupported(key.type());
        if (!VALID_ID.matcher(key.id()).matches()) {
            throw RegistryErrors.exception(NbrError.INVALID_RESOURCE,
                    "a resource id is 1 to 64 letters, digits, '-' and '.'", key.type() + ".id");
        }
        if (!key.type().equals(resource.fhirType())) {
            throw RegistryErrors.exception(NbrError.INVALID_RESOURCE,
                    "resource type " + resource.fhirType() + " does not match the URL's type " + key.type());
        }
    }

    String requireSupported(String type) {
        if ("AuditEvent".equals(type)) {
            // Why: the audit log has a store of its own, written by the registry alone.
            throw RegistryErrors.exception(NbrError.AUDIT_EVENT_APPEND_ONLY,
                    "the audit log is written by the registry alone and is append-only: an AuditEvent cannot be written through the API");
        }
        if (!registry.isSupportedType(type)) {
            throw RegistryErrors.exception(NbrError.UNSUPPORTED_RESOURCE_TYPE,
                    "the registry does not hold resources of type " + type);
        }
        return type;
    }

    private void requireSupportedReference(String type, String location) {
        if (!registry.isSupportedType(type)) {
            throw RegistryErrors.exception(NbrError.REFERENCE_UNSUPPORTED_TYPE,
                    "the reference at " + location + " points to type " + type + ", which the registry does not hold",
                    location);
        }
    }
}

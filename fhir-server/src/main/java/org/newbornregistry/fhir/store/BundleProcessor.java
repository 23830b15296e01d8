package org.newbornregistry.fhir.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.util.UrlUtil;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleEntryResponseComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.RegistryErrors;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Processes transaction and batch Bundles following
 * <a href="https://hl7.org/fhir/R4/http.html#trules">the FHIR transaction rules</a>: deletes
 * first, then creates, then updates, then reads; ids of created resources are planned before
 * anything is written so that {@code urn:uuid:} placeholders and other fullUrls in any entry can
 * be rewritten to them; conditional creates and updates are resolved against the database as it
 * is after the deletes. A failing entry fails the transaction with an error that names it.
 */
final class BundleProcessor {

    private final FhirContext fhirContext;
    private final ResourceWriter writer;
    private final RegistryReadService reads;
    private final ResourceStore writerStore;

    BundleProcessor(FhirContext fhirContext, ResourceWriter writer, RegistryReadService reads, ResourceStore store) {
        this.fhirContext = fhirContext;
        this.writer = writer;
        this.reads = reads;
        this.writerStore = store;
    }

    /** Processes a transaction Bundle inside the caller's session (one database transaction). */
    Bundle transaction(WriteSession session, Bundle bundle, String serverBase) {
        if (bundle.getType() != Bundle.BundleType.TRANSACTION) {
            throw RegistryErrors.exception(NbrError.INVALID_BUNDLE,
                    "Bundle.type must be transaction or batch to be processed", "Bundle.type");
        }
        List<BundleEntryComponent> entries = bundle.getEntry();
        List<Entry> parsed = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            parsed.add(parse(entries.get(i), i, serverBase));
        }
        BundleEntryResponseComponent[] responses = new BundleEntryResponseComponent[entries.size()];
        Resource[] responseResources = new Resource[entries.size()];
        Map<String, String> fullUrlToId = new HashMap<>();
        Set<ResourceKey> touched = new HashSet<>();

        for (Entry entry : parsed) {
            if (entry.method == HTTPVerb.DELETE) {
                session.atEntry(entry.index);
                WriteOutcome deleted = atEntry(entry.index, () -> delete(session, entry));
                responses[entry.index] = response(deleted);
                if (deleted.version() > 0) {
                    claim(touched, deleted.key(), entry.index);
                }
            }
        }

        Map<String, ResourceKey> plannedByCondition = new HashMap<>();
        for (Entry entry : parsed) {
            if (entry.method == HTTPVerb.POST) {
                entry.ifNoneExist = withPlaceholdersResolved(entry.ifNoneExist, fullUrlToId);
                atEntry(entry.index, () -> planCreate(session, entry, plannedByCondition));
                if (entry.existing == null && !entry.duplicateOfEarlierCondition) {
                    claim(touched, entry.planned, entry.index);
                }
                mapFullUrl(entry, fullUrlToId);
            } else if (entry.method == HTTPVerb.PUT) {
                entry.conditionalUrl = withPlaceholdersResolved(entry.conditionalUrl, fullUrlToId);
                atEntry(entry.index, () -> planUpdate(session, entry));
                claim(touched, entry.planned, entry.index);
                mapFullUrl(entry, fullUrlToId);
                if (entry.conditionalUrl != null) {
                    plannedByCondition.putIfAbsent(entry.type + "?" + canonical(entry.conditionalUrl), entry.planned);
                }
            }
        }

        for (Entry entry : parsed) {
            if (entry.resource != null) {
                atEntry(entry.index, () -> rewriteReferences(entry.resource, fullUrlToId, plannedByCondition, serverBase));
            }
        }

        for (Entry entry : parsed) {
            if (entry.method == HTTPVerb.POST) {
                session.atEntry(entry.index);
                responses[entry.index] = atEntry(entry.index, () -> response(entry.existing != null
                        ? entry.existing
                        : entry.duplicateOfEarlierCondition
                                ? new WriteOutcome(entry.planned, 0, session.now(), WriteOutcome.Kind.UNCHANGED, null)
                                : writer.createAs(session, entry.planned, entry.resource)));
            }
        }
        for (Entry entry : parsed) {
            if (entry.method == HTTPVerb.PUT) {
                session.atEntry(entry.index);
                responses[entry.index] = atEntry(entry.index, () -> response(entry.plannedIsNew
                        ? writer.createAs(session, entry.planned, entry.resource, "PUT")
                        : writer.update(session, entry.planned, entry.ifMatch, entry.resource, entry.partial)));
            }
        }
        session.atEntry(null);
        session.flush(writerStore);
        for (Entry entry : parsed) {
            if (entry.method == HTTPVerb.GET) {
                Resource result = atEntry(entry.index, () -> get(entry, serverBase));
                responseResources[entry.index] = result;
                responses[entry.index] = new BundleEntryResponseComponent().setStatus("200 OK");
            }
        }
        return responseBundle(Bundle.BundleType.TRANSACTIONRESPONSE, responses, responseResources);
    }

    /** Processes a batch Bundle: each entry on its own, in its own database transaction. */
    Bundle batch(Bundle bundle, WriteOrigin origin, RegistryWriteService service) {
        String serverBase = origin.serverBase();
        List<BundleEntryComponent> entries = bundle.getEntry();
        BundleEntryResponseComponent[] responses = new BundleEntryResponseComponent[entries.size()];
        Resource[] resources = new Resource[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            BundleEntryComponent original = entries.get(i);
            try {
                Entry entry = parse(original.copy(), i, serverBase);
                if (entry.method == HTTPVerb.GET) {
                    resources[i] = get(entry, serverBase);
                    responses[i] = new BundleEntryResponseComponent().setStatus("200 OK");
                    continue;
                }
                if (entry.resource != null) {
                    if (entry.method == HTTPVerb.PUT && entry.explicitKey != null) {
                        writer.checkKey(entry.explicitKey, entry.resource);
                    }
                    service.validateInbound(entry.resource);
                    rewriteReferences(entry.resource, Map.of(), Map.of(), serverBase);
                }
                WriteOutcome outcome = service.inTransaction(origin, session -> switch (entry.method) {
                    case DELETE -> delete(session, entry);
                    case POST -> writer.create(session, entry.resource.copy(), entry.ifNoneExist);
                    case PUT -> entry.conditionalUrl != null
                            ? writer.conditionalUpdate(session, entry.type, entry.conditionalUrl, entry.resource.copy(), entry.partial)
                            : writer.update(session, entry.explicitKey, entry.ifMatch, entry.resource.copy(), entry.partial);
                    default -> throw unsupportedMethod(entry.index);
                });
                responses[i] = response(outcome);
            } catch (BaseServerResponseException e) {
                BaseServerResponseException located = RegistryErrors.atBundleEntry(e, i);
                responses[i] = new BundleEntryResponseComponent()
                        .setStatus(e.getStatusCode() + " " + reason(e))
                        .setOutcome((OperationOutcome) located.getOperationOutcome());
            } catch (RuntimeException e) {
                // Why: one entry's failure must not fail the batch whose earlier entries are committed.
                BaseServerResponseException internal = RegistryErrors.internal(e, "batch entry " + i);
                responses[i] = new BundleEntryResponseComponent().setStatus("500 Internal Server Error")
                        .setOutcome((OperationOutcome) RegistryErrors.atBundleEntry(internal, i).getOperationOutcome());
            }
        }
        return responseBundle(Bundle.BundleType.BATCHRESPONSE, responses, resources);
    }

    private WriteOutcome delete(WriteSession session, Entry entry) {
        if (entry.conditionalUrl != null) {
            return writer.conditionalDelete(session, entry.type, entry.conditionalUrl)
                    .orElse(new WriteOutcome(new ResourceKey(entry.type, "-"), 0, session.now(), WriteOutcome.Kind.DELETED, null));
        }
        return writer.delete(session, entry.explicitKey);
    }

    private void planCreate(WriteSession session, Entry entry, Map<String, ResourceKey> plannedByCondition) {
        if (entry.ifNoneExist != null) {
            String condition = entry.type + "?" + canonical(entry.ifNoneExist);
            ResourceKey earlier = plannedByCondition.get(condition);
            if (earlier != null) {
                // Why: two entries creating "the same" resource in one Bundle must yield one resource.
                entry.planned = earlier;
                entry.duplicateOfEarlierCondition = true;
                return;
            }
            List<StoredResource> matches = writer.matchConditionLockingIfAbsent(session, entry.type, entry.ifNoneExist, "ifNoneExist");
            if (!matches.isEmpty()) {
                StoredResource match = matches.get(0);
                entry.planned = new ResourceKey(entry.type, match.id());
                entry.existing = new WriteOutcome(entry.planned, match.version(), match.lastUpdated(),
                        WriteOutcome.Kind.UNCHANGED, null);
                plannedByCondition.put(condition, entry.planned);
                return;
            }
            entry.planned = planNew(session, entry.type);
            plannedByCondition.put(condition, entry.planned);
            return;
        }
        entry.planned = planNew(session, entry.type);
    }

    /** A new server-assigned key for an entry that creates a resource, made known to the session. */
    private static ResourceKey planNew(WriteSession session, String type) {
        ResourceKey key = new ResourceKey(type, ResourceWriter.newId());
        session.planNew(key);
        return key;
    }

    private void planUpdate(WriteSession session, Entry entry) {
        if (entry.conditionalUrl == null) {
            entry.planned = entry.explicitKey;
            return;
        }
        List<StoredResource> matches = writer.matchCondition(session, entry.type, entry.conditionalUrl, "the conditional update URL");
        if (!matches.isEmpty()) {
            entry.planned = new ResourceKey(entry.type, matches.get(0).id());
        } else if (entry.resource.getIdElement().hasIdPart() && !entry.resource.getIdElement().getIdPart().startsWith("urn:")) {
            entry.planned = new ResourceKey(entry.type, entry.resource.getIdElement().getIdPart());
        } else {
            entry.planned = planNew(session, entry.type);
            entry.plannedIsNew = true;
        }
    }

    private Resource get(Entry entry, String serverBase) {
        UrlUtil.UrlParts parts = entry.urlParts;
        if (parts.getResourceId() != null) {
            ResourceKey key = new ResourceKey(parts.getResourceType(), parts.getResourceId());
            return (Resource) (parts.getVersionId() != null
                    ? reads.vread(key, parseVersion(parts.getVersionId(), entry.index))
                    : reads.read(key));
        }
        Map<String, String[]> params = parts.getParams() == null ? Map.of() : UrlUtil.parseQueryString(parts.getParams());
        ResultPage page = reads.search(parts.getResourceType(), params, serverBase);
        Bundle searchset = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        if (page.total() != null) {
            searchset.setTotal(page.total());
        }
        page.matches().forEach(r -> searchset.addEntry().setFullUrl(fullUrl(serverBase, r)).setResource((Resource) r)
                .getSearch().setMode(Bundle.SearchEntryMode.MATCH));
        page.included().forEach(r -> searchset.addEntry().setFullUrl(fullUrl(serverBase, r)).setResource((Resource) r)
                .getSearch().setMode(Bundle.SearchEntryMode.INCLUDE));
        return searchset;
    }

    /** R4: outside transactions and batches, every Bundle entry carries its fullUrl (the instance validator refuses one without). */
    private static String fullUrl(String serverBase, IBaseResource resource) {
        return serverBase + "/" + resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }

    private Entry parse(BundleEntryComponent component, int index, String serverBase) {
        return atEntry(index, () -> {
            if (!component.hasRequest() || !component.getRequest().hasMethod() || !component.getRequest().hasUrl()) {
                throw RegistryErrors.exception(NbrError.INVALID_BUNDLE, "entry has no request method and url",
                        "Bundle.entry[" + index + "].request");
            }
            Entry entry = new Entry(index, component.getRequest().getMethod());
            String url = component.getRequest().getUrl();
            if (serverBase != null && url.startsWith(serverBase + "/")) {
                url = url.substring(serverBase.length() + 1);
            }
            entry.urlParts = UrlUtil.parseUrl(url);
            entry.type = entry.urlParts.getResourceType();
            if (entry.type == null) {
                throw RegistryErrors.exception(NbrError.INVALID_BUNDLE, "request.url names no resource type",
                        "Bundle.entry[" + index + "].request.url");
            }
            writer.requireSupported(entry.type);
            entry.fullUrl = component.getFullUrl();
            entry.ifNoneExist = component.getRequest().getIfNoneExist();
            entry.ifMatch = parseIfMatch(component.getRequest().getIfMatch(), index);
            entry.partial = PartialUpdate.of(component.getRequest(), index);
            if (entry.urlParts.getResourceId() != null) {
                entry.explicitKey = new ResourceKey(entry.type, entry.urlParts.getResourceId());
            } else if (entry.urlParts.getParams() != null) {
                entry.conditionalUrl = entry.urlParts.getParams();
            }
            switch (entry.method) {
                case POST, PUT -> {
                    Resource resource = component.getResource();
                    if (resource == null) {
                        throw RegistryErrors.exception(NbrError.INVALID_BUNDLE, "entry has no resource",
                                "Bundle.entry[" + index + "].resource");
                    }
                    if (!resource.fhirType().equals(entry.type)) {
                        throw RegistryErrors.exception(NbrError.INVALID_BUNDLE,
                                "resource type " + resource.fhirType() + " does not match request.url",
                                "Bundle.entry[" + index + "].request.url");
                    }
                    entry.resource = resource;
                    if (entry.method == HTTPVerb.PUT && entry.explicitKey == null && entry.conditionalUrl == null) {
                        throw RegistryErrors.exception(NbrError.INVALID_BUNDLE, "PUT needs Type/id or Type?search in request.url",
                                "Bundle.entry[" + index + "].request.url");
                    }
                    String bodyId = resource.getIdElement().getIdPart();
                    if (entry.method == HTTPVerb.PUT && entry.explicitKey != null && bodyId != null
                            && !bodyId.startsWith("urn:") && !bodyId.equals(entry.explicitKey.id())) {
                        throw RegistryErrors.exception(NbrError.INVALID_BUNDLE,
                                "the resource's id differs from the id in request.url", "Bundle.entry[" + index + "].resource.id");
                    }
                }
                case DELETE -> {
                    if (entry.explicitKey == null && entry.conditionalUrl == null) {
                        throw RegistryErrors.exception(NbrError.INVALID_BUNDLE, "DELETE needs Type/id or Type?search in request.url",
                                "Bundle.entry[" + index + "].request.url");
                    }
                }
                case GET -> {
                    // read, vread or search: all shapes of url are fine
                }
                default -> throw unsupportedMethod(index);
            }
            return entry;
        });
    }

    /**
     * Rewrites the references of an entry's resource that point into the Bundle: fullUrls
     * ({@code urn:uuid:...} or absolute), absolute URLs of this server, and conditional
     * references whose search is the condition of a create or update in this Bundle. Other
     * conditional references are left for the writer to resolve against the database.
     */
    private void rewriteReferences(Resource resource, Map<String, String> fullUrlToId,
                                   Map<String, ResourceKey> plannedByCondition, String serverBase) {
        for (ReferencePaths.Found found : ReferencePaths.of(fhirContext, resource)) {
            String reference = found.reference().getReferenceElement().getValue();
            if (reference == null) {
                continue;
            }
            String replacement = fullUrlToId.get(reference);
            if (replacement == null && serverBase != null && reference.startsWith(serverBase + "/")) {
                replacement = reference.substring(serverBase.length() + 1);
            }
            if (replacement == null && reference.contains("?") && !UrlUtil.isAbsolute(reference)) {
                String type = reference.substring(0, reference.indexOf('?'));
                ResourceKey planned = plannedByCondition.get(type + "?" + canonical(reference));
                replacement = planned == null ? null : planned.toString();
            }
            if (replacement != null) {
                found.reference().setReference(replacement);
            } else if (reference.startsWith("urn:uuid:") || reference.startsWith("urn:oid:")) {
                throw RegistryErrors.exception(NbrError.REFERENCE_NOT_FOUND, "the reference at " + found.path()
                        + " names a fullUrl that no entry of the Bundle has", found.path());
            }
        }
    }

    /**
     * A condition (If-None-Exist or conditional URL) whose parameter values name entries of this
     * Bundle by their fullUrl ({@code RelatedPerson?patient=urn:uuid:...}), with those values
     * replaced by the ids planned for the entries so far, as HAPI's JPA server does. This is how a
     * message keys the mother by "the RelatedPerson of this newborn" before the newborn has an id.
     */
    private static String withPlaceholdersResolved(String condition, Map<String, String> fullUrlToId) {
        if (condition == null || fullUrlToId.isEmpty() || !condition.contains("urn")) {
            return condition;
        }
        int question = condition.indexOf('?');
        String prefix = question >= 0 ? condition.substring(0, question + 1) : "";
        String query = question >= 0 ? condition.substring(question + 1) : condition;
        StringBuilder rebuilt = new StringBuilder(prefix);
        UrlUtil.parseQueryString(query).forEach((name, values) -> {
            for (String value : values) {
                if (rebuilt.length() > prefix.length()) {
                    rebuilt.append('&');
                }
                rebuilt.append(UrlUtil.escapeUrlParam(name)).append('=')
                        .append(UrlUtil.escapeUrlParam(fullUrlToId.getOrDefault(value, value)));
            }
        });
        return rebuilt.toString();
    }

    private static void mapFullUrl(Entry entry, Map<String, String> fullUrlToId) {
        if (entry.fullUrl != null && entry.planned != null) {
            fullUrlToId.put(entry.fullUrl, entry.planned.toString());
        }
    }

    private static void claim(Set<ResourceKey> touched, ResourceKey key, int index) {
        if (!touched.add(key)) {
            throw RegistryErrors.atBundleEntry(RegistryErrors.exception(NbrError.INVALID_BUNDLE,
                    key + " is written by more than one entry of the transaction"), index);
        }
    }

    private static BundleEntryResponseComponent response(WriteOutcome outcome) {
        BundleEntryResponseComponent response = new BundleEntryResponseComponent();
        switch (outcome.kind()) {
            case CREATED -> response.setStatus("201 Created");
            case UPDATED, UNCHANGED -> response.setStatus("200 OK");
            case DELETED -> {
                return response.setStatus("204 No Content");
            }
        }
        if (outcome.version() > 0) {
            response.setLocation(new IdType(outcome.key().type(), outcome.key().id(), Long.toString(outcome.version())).getValue());
            response.setEtag("W/\"" + outcome.version() + "\"");
            response.setLastModifiedElement(new InstantType(Date.from(outcome.lastUpdated())));
        } else {
            response.setLocation(outcome.key().toString());
        }
        return response;
    }

    private static Bundle responseBundle(Bundle.BundleType type, BundleEntryResponseComponent[] responses,
                                         Resource[] resources) {
        Bundle result = new Bundle().setType(type);
        for (int i = 0; i < responses.length; i++) {
            BundleEntryComponent entry = result.addEntry().setResponse(responses[i]);
            if (resources[i] != null) {
                entry.setResource(resources[i]);
            }
        }
        return result;
    }

    private static <T> T atEntry(int index, Supplier<T> work) {
        try {
            return work.get();
        } catch (BaseServerResponseException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Bundle.entry[")) {
                throw e;
            }
            throw RegistryErrors.atBundleEntry(e, index);
        }
    }

    private static void atEntry(int index, Runnable work) {
        atEntry(index, () -> {
            work.run();
            return null;
        });
    }

    private static Long parseIfMatch(String ifMatch, int index) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        String value = ifMatch.replace("W/", "").replace("\"", "").trim();
        return parseVersion(value, index);
    }

    private static long parseVersion(String value, int index) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw RegistryErrors.exception(NbrError.INVALID_BUNDLE, "version is not a number",
                    "Bundle.entry[" + index + "].request");
        }
    }

    private static String canonical(String condition) {
        int question = condition.indexOf('?');
        String query = question >= 0 ? condition.substring(question + 1) : condition;
        StringBuilder result = new StringBuilder();
        new TreeMap<>(UrlUtil.parseQueryString(query)).forEach((name, values) ->
                result.append(name).append('=').append(String.join(",", values)).append('&'));
        return result.toString();
    }

    private static BaseServerResponseException unsupportedMethod(int index) {
        return RegistryErrors.exception(NbrError.INVALID_BUNDLE, "request.method must be GET, POST, PUT or DELETE",
                "Bundle.entry[" + index + "].request.method");
    }

    private static String reason(BaseServerResponseException e) {
        return switch (e.getStatusCode()) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 412 -> "Precondition Failed";
            case 422 -> "Unprocessable Entity";
            default -> "Error";
        };
    }

    /** One entry of a Bundle being processed. */
    private static final class Entry {
        final int index;
        final HTTPVerb method;
        UrlUtil.UrlParts urlParts;
        String type;
        String fullUrl;
        String ifNoneExist;
        Long ifMatch;
        ResourceKey explicitKey;
        String conditionalUrl;
        Resource resource;
        ResourceKey planned;
        boolean plannedIsNew;
        WriteOutcome existing;
        boolean duplicateOfEarlierCondition;
        PartialUpdate partial;

        Entry(int index, HTTPVerb method) {
            this.index = index;
            this.method = method;
        }

    }
}

package org.newbornregistry.fhir.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.RegistryErrors;
import org.newbornregistry.fhir.search.ResourceSearcher;
import org.newbornregistry.fhir.search.SearchCursorStore;
import org.newbornregistry.fhir.search.SearchQuery;
import org.newbornregistry.fhir.search.SearchQueryParser;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read side of the registry: read, vread, search and history. Search paging lives in the
 * database: a page's position is a keyset token in its next link, and what the search was run
 * with is stored once under the search's id.
 */
public class RegistryReadService {

    private final ResourceStore store;
    private final ResourceSearcher searcher;
    private final SearchQueryParser parser;
    private final SearchCursorStore cursors;
    private final ResourceCodec codec;
    private final TransactionTemplate snapshot;
    private final PagingLimits limits;
    private final ObjectMapper json = new ObjectMapper();

    public RegistryReadService(ResourceStore store, ResourceSearcher searcher, SearchQueryParser parser,
                               SearchCursorStore cursors, ResourceCodec codec, TransactionTemplate snapshot,
                               PagingLimits limits) {
        this.store = store;
        this.searcher = searcher;
        this.parser = parser;
        this.cursors = cursors;
        this.codec = codec;
        this.snapshot = snapshot;
        this.limits = limits;
    }

    /** The current version of a resource; 404 if it never existed, 410 if it was deleted. */
    public IBaseResource read(ResourceKey key) {
        StoredResource stored = store.readCurrent(key).orElseThrow(() -> notFound(key));
        if (stored.isDeleted()) {
            throw RegistryErrors.exception(NbrError.RESOURCE_DELETED,
                    key + " was deleted in version " + stored.version());
        }
        return codec.decode(stored);
    }

    /** The current version of a resource, if it exists and is not deleted. */
    public Optional<IBaseResource> find(ResourceKey key) {
        return store.readCurrent(key).filter(stored -> !stored.isDeleted()).map(codec::decode);
    }

    /** One version of a resource; 404 if it does not exist, 410 if that version is a deletion. */
    public IBaseResource vread(ResourceKey key, long version) {
        StoredResource stored = store.readVersion(key, version).orElseThrow(() ->
                RegistryErrors.exception(NbrError.RESOURCE_NOT_FOUND, key + " has no version " + version));
        if (stored.isDeleted()) {
            throw RegistryErrors.exception(NbrError.RESOURCE_DELETED, "version " + version + " of " + key + " is a deletion");
        }
        return codec.decode(stored);
    }

    /** The first page of a search. */
    public ResultPage search(String type, Map<String, String[]> parameters, String serverBase) {
        SearchQuery query = parser.parse(type, parameters, serverBase);
        SearchDefinition definition = new SearchDefinition(type, copy(parameters), serverBase);
        return snapshot.execute(tx -> searchPage(query, definition, null, null));
    }

    /** A further page of a stored search, or empty if the search is unknown or expired. */
    public Optional<ResultPage> searchPage(String cursorId, String pageId) {
        return snapshot.execute(tx -> cursors.find(cursorId).map(stored -> {
            SearchDefinition definition = read(stored, SearchDefinition.class);
            Map<String, String[]> parameters = new LinkedHashMap<>();
            definition.parameters().forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
            SearchQuery query = parser.parse(definition.type(), parameters, definition.serverBase());
            return searchPage(query, definition, cursorId, decodeSearchPosition(pageId));
        }));
    }

    /**
     * A page of all versions of one resource (key set) or of a type, newest first. HAPI pages
     * history by offset ({@code _offset} in its next links), so this does too.
     */
    public ResultPage history(String type, ResourceKey key, Instant since, Integer count, Integer offset) {
        if (key != null && store.readCurrent(key).isEmpty()) {
            throw notFound(key);
        }
        if (count != null && count > limits.maxPageSize()) {
            // Why: HAPI advances history's offset links by the _count asked for, so a capped page would skip versions.
            throw RegistryErrors.exception(NbrError.INVALID_SEARCH_VALUE,
                    "_count of a history may be at most " + limits.maxPageSize());
        }
        int size = Math.max(1, limits.pageSize(count));
        int skip = offset == null ? 0 : Math.max(0, offset);
        return snapshot.execute(tx -> {
            List<IBaseResource> versions = new ArrayList<>();
            store.history(type, key, since, skip, size).forEach(stored -> versions.add(codec.decodeForHistory(stored)));
            return new ResultPage(versions, List.of(), false, null, null, store.countHistory(type, key, since));
        });
    }

    private ResultPage searchPage(SearchQuery query, SearchDefinition definition, String cursorId,
                                  ResourceSearcher.SearchPosition after) {
        int size = limits.pageSize(query.count());
        if (size == 0) {
            return new ResultPage(List.of(), List.of(), false, null, null, searcher.count(query));
        }
        List<ResourceSearcher.Match> rows = searcher.find(query, after, size + 1);
        boolean more = rows.size() > size;
        List<StoredResource> page = (more ? rows.subList(0, size) : rows).stream().map(ResourceSearcher.Match::resource).toList();

        Integer total = null;
        if (after == null && !more) {
            total = page.size();
        } else if (query.totalWanted()) {
            total = searcher.count(query);
        }
        String nextPageId = null;
        if (more) {
            if (cursorId == null) {
                cursorId = cursors.save(write(definition));
            }
            nextPageId = encodeSearchPosition(rows.get(size - 1).position());
        }
        ResourceSearcher.Included included = searcher.includes(query, page, limits.maxIncludes());
        List<IBaseResource> includedResources = decode(included.resources());
        Custodian.narrowedTo(definition.parameters()).ifPresent(organisation -> includedResources.removeIf(resource ->
                Custodian.isHeld(resource.fhirType()) && !Custodian.of((Resource) resource).filter(organisation::equals).isPresent()));
        return new ResultPage(decode(page), includedResources, included.truncated(), cursorId, nextPageId, total);
    }

    private List<IBaseResource> decode(List<StoredResource> rows) {
        List<IBaseResource> result = new ArrayList<>(rows.size());
        rows.forEach(row -> result.add(codec.decode(row)));
        return result;
    }

    private static Map<String, List<String>> copy(Map<String, String[]> parameters) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        parameters.forEach((name, values) -> copy.put(name, List.of(values)));
        return copy;
    }

    /** A search position as a page id: its sort keys and pid as a JSON array, Base64url. */
    private String encodeSearchPosition(ResourceSearcher.SearchPosition position) {
        List<Object> parts = new ArrayList<>(position.sortKeys());
        parts.add(position.pid());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(write(parts).getBytes(StandardCharsets.UTF_8));
    }

    private ResourceSearcher.SearchPosition decodeSearchPosition(String pageId) {
        try {
            List<?> parts = json.readValue(Base64.getUrlDecoder().decode(pageId), List.class);
            if (!parts.isEmpty() && parts.get(parts.size() - 1) instanceof Number pid
                    && parts.subList(0, parts.size() - 1).stream().allMatch(p -> p == null || p instanceof String)) {
                List<String> keys = new ArrayList<>();
                parts.subList(0, parts.size() - 1).forEach(p -> keys.add((String) p));
                return new ResourceSearcher.SearchPosition(keys, pid.longValue());
            }
        } catch (IllegalArgumentException | java.io.IOException e) {
            // fall through
        }
        throw RegistryErrors.exception(NbrError.INVALID_SEARCH_VALUE, "_pageId is not a page of this listing");
    }

    private String write(Object definition) {
        try {
            return json.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a listing definition", e);
        }
    }

    private <T> T read(String stored, Class<T> type) {
        try {
            return json.readValue(stored, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored listing definition is unreadable", e);
        }
    }

    private static RuntimeException notFound(ResourceKey key) {
        return RegistryErrors.exception(NbrError.RESOURCE_NOT_FOUND, key + " is not in the registry");
    }

    /** Page sizes and include limits, from configuration. */
    public record PagingLimits(int defaultPageSize, int maxPageSize, int maxIncludes) {
        int pageSize(Integer requested) {
            return requested == null ? defaultPageSize : Math.min(requested, maxPageSize);
        }
    }

    /** What a paged search was run with. */
    public record SearchDefinition(String type, Map<String, List<String>> parameters, String serverBase) {
    }
}

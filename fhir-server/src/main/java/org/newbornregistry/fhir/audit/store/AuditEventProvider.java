package org.newbornregistry.fhir.audit.store;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.BundleProviderWithNamedPages;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.RegistryErrors;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AuditEvent over REST, read-only: read, vread (version 1, the only one an audit record has) and
 * search on the audit store's columns ({@link AuditEventQuery}), sorted by date and paged by
 * keyset. The registry writes the audit log itself; a client's create, update or delete is
 * refused with 405 and {@code NBR-3008}, saying why, rather than HAPI's generic answer.
 *
 * <p>A next-page link carries the search and the position in it ({@code _getpages=audit-events}),
 * so any instance sharing the database serves it and nothing is stored.
 */
public class AuditEventProvider implements IResourceProvider {

    /** The listing id of every audit search's pages. */
    public static final String LISTING = "audit-events";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditStore store;
    private final int defaultPageSize;
    private final int maximumPageSize;

    public AuditEventProvider(AuditStore store, int defaultPageSize, int maximumPageSize) {
        this.store = store;
        this.defaultPageSize = defaultPageSize;
        this.maximumPageSize = maximumPageSize;
    }

    @Override
    public Class<AuditEvent> getResourceType() {
        return AuditEvent.class;
    }

    @Read(version = true)
    public AuditEvent read(@IdParam IIdType id) {
        if (id.hasVersionIdPart() && !"1".equals(id.getVersionIdPart())) {
            throw new ResourceNotFoundException("AuditEvent/" + id.getIdPart() + " has no such version: an audit record has one");
        }
        return store.read(id.getIdPart())
                .orElseThrow(() -> new ResourceNotFoundException("AuditEvent/" + id.getIdPart() + " is not known"));
    }

    @Create
    public MethodOutcome create(@ResourceParam AuditEvent event) {
        throw writtenByTheRegistry();
    }

    @Update
    public MethodOutcome update(@IdParam IIdType id, @ResourceParam AuditEvent event) {
        throw writtenByTheRegistry();
    }

    @Delete
    public MethodOutcome delete(@IdParam IIdType id) {
        throw writtenByTheRegistry();
    }

    private static RuntimeException writtenByTheRegistry() {
        return RegistryErrors.exception(NbrError.AUDIT_EVENT_APPEND_ONLY,
                "the audit log is written by the registry alone and is append-only: an AuditEvent cannot be created, updated "
                        + "or deleted through the API");
    }

    @Search(allowUnknownParams = true)
    public IBundleProvider search(RequestDetails request) {
        Map<String, String[]> parameters = request.getParameters();
        AuditEventQuery query = AuditEventQuery.of(parameters);
        return page(query, null, count(parameters.get("_count")), "first");
    }

    /** A next page, from the page id its link carries; empty when the id is not one. */
    public Optional<IBundleProvider> page(String pageId) {
        Cursor cursor;
        try {
            cursor = JSON.readValue(Base64.getUrlDecoder().decode(pageId), Cursor.class);
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
        if (cursor.parameters() == null || cursor.recorded() == null) {
            return Optional.empty();
        }
        Map<String, String[]> parameters = new java.util.TreeMap<>();
        cursor.parameters().forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
        AuditEventQuery query = AuditEventQuery.of(parameters);
        query = new AuditEventQuery(query.parameters(), cursor.descending());
        return Optional.of(page(query, new AuditEventQuery.Position(Instant.parse(cursor.recorded()), cursor.entryId()),
                Math.max(1, Math.min(cursor.count(), maximumPageSize)), pageId));
    }

    private IBundleProvider page(AuditEventQuery query, AuditEventQuery.Position after, int count, String pageId) {
        AuditStore.Page page = store.search(query, after, count);
        List<IBaseResource> resources = new ArrayList<>(page.events().size());
        for (AuditStore.Stored stored : page.events()) {
            ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(stored.event(), BundleEntrySearchModeEnum.MATCH);
            resources.add(stored.event());
        }
        BundleProviderWithNamedPages provider = new BundleProviderWithNamedPages(resources, LISTING, pageId, null);
        if (page.next() != null) {
            provider.setNextPageId(token(new Cursor(query.parameters(), query.descending(), count,
                    page.next().recorded().toString(), page.next().entryId())));
        }
        return provider;
    }

    private int count(String[] values) {
        if (values == null || values.length == 0) {
            return defaultPageSize;
        }
        try {
            int count = Integer.parseInt(values[0]);
            if (count < 0) {
                throw new NumberFormatException();
            }
            return Math.max(1, Math.min(count, maximumPageSize));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("_count is a non-negative whole number");
        }
    }

    private static String token(Cursor cursor) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsString(cursor).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a cursor of strings and numbers is always JSON", e);
        }
    }

    /** What a next-page link carries. */
    record Cursor(Map<String, List<String>> parameters, boolean descending, int count, String recorded, long entryId) {
    }
}

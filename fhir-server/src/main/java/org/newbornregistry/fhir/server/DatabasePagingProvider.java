package org.newbornregistry.fhir.server;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IPagingProvider;
import jakarta.annotation.Nonnull;
import jakarta.annotation.Nullable;
import org.newbornregistry.fhir.audit.store.AuditEventProvider;
import org.newbornregistry.fhir.provider.ResultPages;
import org.newbornregistry.fhir.store.RegistryReadService;


/**
 * HAPI's paging hook, answered from the database instead of HAPI's in-memory FIFO: a next link
 * ({@code _getpages=<listing>&_pageId=<token>}) works on any instance sharing the database and
 * after a restart. Unknown or expired listings get HAPI's 410 Gone. The audit store's searches
 * carry their whole state in the page id and are served by its provider.
 */
public class DatabasePagingProvider implements IPagingProvider {

    private final RegistryReadService reads;
    private final AuditEventProvider auditEvents;
    private final int defaultPageSize;
    private final int maximumPageSize;

    public DatabasePagingProvider(RegistryReadService reads, AuditEventProvider auditEvents, int defaultPageSize,
                                  int maximumPageSize) {
        this.reads = reads;
        this.auditEvents = auditEvents;
        this.defaultPageSize = defaultPageSize;
        this.maximumPageSize = maximumPageSize;
    }

    @Override
    public int getDefaultPageSize() {
        return defaultPageSize;
    }

    @Override
    public int getMaximumPageSize() {
        return maximumPageSize;
    }

    /** Links always carry a page id; a bare listing id has no page to serve. */
    @Override
    public IBundleProvider retrieveResultList(@Nullable RequestDetails request, @Nonnull String searchId) {
        return null;
    }

    @Override
    public IBundleProvider retrieveResultList(@Nullable RequestDetails request, @Nonnull String searchId, String pageId) {
        if (AuditEventProvider.LISTING.equals(searchId)) {
            return auditEvents.page(pageId).orElse(null);
        }
        return reads.searchPage(searchId, pageId).map(p -> ResultPages.searchPage(p, pageId)).orElse(null);
    }

    /** Listings are stored by the read service when they have a next page; this returns their id. */
    @Override
    public String storeResultList(@Nullable RequestDetails request, IBundleProvider list) {
        return list.getUuid();
    }
}

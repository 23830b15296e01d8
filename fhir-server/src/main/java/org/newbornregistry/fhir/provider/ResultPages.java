package org.newbornregistry.fhir.provider;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.server.BundleProviderWithNamedPages;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.newbornregistry.fhir.store.ResultPage;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Hands a {@link ResultPage} to HAPI: a search page as a bundle provider with named pages, so
 * that HAPI's next link carries the stored search's id and the keyset token of the next page; a
 * history page as a plain list with its total, which HAPI links by offset.
 */
public final class ResultPages {

    /** The page id HAPI shows for the first page of a listing. */
    public static final String FIRST_PAGE = "first";

    private ResultPages() {
    }

    /** The bundle provider of a search page; {@code pageId} is the token it was requested with. */
    public static IBundleProvider searchPage(ResultPage page, String pageId) {
        List<IBaseResource> resources = new ArrayList<>(page.matches().size() + page.included().size() + 1);
        for (IBaseResource match : page.matches()) {
            ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put((IAnyResource) match, BundleEntrySearchModeEnum.MATCH);
            resources.add(match);
        }
        for (IBaseResource included : page.included()) {
            ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put((IAnyResource) included, BundleEntrySearchModeEnum.INCLUDE);
            resources.add(included);
        }
        if (page.includesTruncated()) {
            OperationOutcome warning = new OperationOutcome();
            warning.addIssue().setSeverity(OperationOutcome.IssueSeverity.WARNING)
                    .setCode(OperationOutcome.IssueType.TOOCOSTLY)
                    .setDiagnostics("_include/_revinclude added more resources than the registry returns per page;"
                            + " the included resources of this page are incomplete");
            ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(warning, BundleEntrySearchModeEnum.OUTCOME);
            resources.add(warning);
        }
        return named(page, resources, pageId);
    }

    /** The bundle provider of a history page: versions only, without search modes, with the total for HAPI's offset links. */
    public static IBundleProvider historyPage(ResultPage page) {
        SimpleBundleProvider provider = new SimpleBundleProvider(new ArrayList<>(page.matches()));
        provider.setSize(page.total());
        return provider;
    }

    private static IBundleProvider named(ResultPage page, List<IBaseResource> resources, String pageId) {
        String listingId = page.cursorId() != null ? page.cursorId() : UUID.randomUUID().toString();
        return new BundleProviderWithNamedPages(resources, listingId, pageId, page.total())
                .setNextPageId(page.nextPageId());
    }
}

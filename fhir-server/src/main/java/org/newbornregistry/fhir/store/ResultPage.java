package org.newbornregistry.fhir.store;

import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.List;

/**
 * One page of a search or history listing.
 *
 * @param matches           the resources (or versions) that matched, in order
 * @param included          resources added by {@code _include}/{@code _revinclude}
 * @param includesTruncated whether the include limit cut {@code included} short
 * @param cursorId          id under which the listing is stored for further pages, or null if there are none
 * @param nextPageId        token of the next page, or null on the last page
 * @param total             number of matches in all pages, or null when not counted
 */
public record ResultPage(
        List<IBaseResource> matches,
        List<IBaseResource> included,
        boolean includesTruncated,
        String cursorId,
        String nextPageId,
        Integer total) {
}

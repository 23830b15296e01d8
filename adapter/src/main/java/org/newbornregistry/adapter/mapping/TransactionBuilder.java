package org.newbornregistry.adapter.mapping;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

import java.util.UUID;

/**
 * Builds the transaction Bundle a message maps to. Entries are keyed by business identifiers
 * (conditional create or update), never by ids the mapping invents, and refer to each other by
 * {@code urn:uuid:} placeholders, which the registry resolves, also inside conditional URLs.
 */
final class TransactionBuilder {

    private final Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);

    /** Adds a create-or-update of the one resource matching {@code searchUrl}; returns its placeholder. */
    String upsert(Resource resource, String searchUrl) {
        String fullUrl = placeholder();
        bundle.addEntry().setFullUrl(fullUrl).setResource(resource).getRequest()
                .setMethod(Bundle.HTTPVerb.PUT).setUrl(resource.fhirType() + "?" + searchUrl);
        return fullUrl;
    }

    /** Adds a create unless a resource matches {@code searchUrl} (then that one is used untouched); returns its placeholder. */
    String createIfAbsent(Resource resource, String searchUrl) {
        String fullUrl = placeholder();
        bundle.addEntry().setFullUrl(fullUrl).setResource(resource).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType()).setIfNoneExist(searchUrl);
        return fullUrl;
    }

    Bundle build() {
        return bundle;
    }

    private static String placeholder() {
        return "urn:uuid:" + UUID.randomUUID();
    }
}

package org.newbornregistry.adapter.mapping;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.UUID;

/**
 * Builds the transaction Bundle a message maps to. Entries are keyed by business identifiers
 * (conditional create or update), never by ids the mapping invents, and refer to each other by
 * {@code urn:uuid:} placeholders, which the registry resolves, also inside conditional URLs.
 *
 * <p>Two kinds of update: {@link #update} for records a message describes in part (a patient, a
 * parent, a visit, a specimen, an order), which keep what the message does not carry, and
 * {@link #upsert} for records a message carries whole (a result, a report, a consent), which it
 * replaces.
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

    /**
     * Adds a create-or-update of the one resource matching {@code searchUrl} with v2 update
     * semantics: the stored record keeps what {@code resource} does not carry, loses what the
     * sender cleared and takes what it sends ({@link V2Update}). Returns its placeholder.
     */
    String update(Resource resource, String searchUrl) {
        String fullUrl = upsert(resource, searchUrl);
        Bundle.BundleEntryRequestComponent request = bundle.getEntry().get(bundle.getEntry().size() - 1).getRequest();
        request.addExtension(NbrCanonical.PARTIAL_UPDATE, new BooleanType(true));
        V2Update.cleared(resource).forEach(path -> request.addExtension(NbrCanonical.PARTIAL_UPDATE_CLEAR, new StringType(path)));
        V2Update.defaulted(resource).forEach(path -> request.addExtension(NbrCanonical.PARTIAL_UPDATE_DEFAULT, new StringType(path)));
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

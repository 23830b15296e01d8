package org.newbornregistry.routes.index;

import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;
import org.newbornregistry.fhir.store.RegistryReadService;
import org.newbornregistry.fhir.store.ResourceKey;
import org.newbornregistry.fhir.store.ResultPage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the forwarding route needs from the registry, through its read service. */
final class RegistryLookups {

    /** Most pages of one search read; a newborn has a handful of consents and genotypes, not thousands. */
    private static final int MAX_PAGES = 20;

    private final RegistryReadService reads;

    RegistryLookups(RegistryReadService reads) {
        this.reads = reads;
    }

    /**
     * The current version of a resource, if it exists and is not deleted. Only "not found" and
     * "gone" read as absent: any other failure is thrown, because an error is no answer (read as
     * absent, it would cancel a submission as if its genotype were erased).
     */
    <T extends Resource> Optional<T> read(Class<T> type, String reference) {
        String[] parts = reference.split("/");
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            IBaseResource resource = reads.read(new ResourceKey(parts[parts.length - 2], parts[parts.length - 1]));
            return type.isInstance(resource) ? Optional.of(type.cast(resource)) : Optional.empty();
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        }
    }

    /** Every match of a search. */
    <T extends Resource> List<T> search(Class<T> type, Map<String, String[]> parameters) {
        List<T> found = new ArrayList<>();
        ResultPage page = reads.search(type.getSimpleName(), parameters, "");
        for (int pages = 1; ; pages++) {
            page.matches().stream().filter(type::isInstance).map(type::cast).forEach(found::add);
            if (page.nextPageId() == null || pages >= MAX_PAGES) {
                return found;
            }
            page = reads.searchPage(page.cursorId(), page.nextPageId()).orElse(null);
            if (page == null) {
                return found;
            }
        }
    }
}

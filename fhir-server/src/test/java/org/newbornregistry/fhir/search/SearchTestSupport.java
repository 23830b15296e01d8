package org.newbornregistry.fhir.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import org.newbornregistry.fhir.server.RegistryResourceTypes;

/** One FhirContext and search-parameter registry for the search unit tests; building them takes seconds. */
final class SearchTestSupport {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final IFhirPath FHIR_PATH = SearchRowExtractor.newFhirPath(FHIR);
    static final SearchParameterRegistry REGISTRY = new SearchParameterRegistry(FHIR, FHIR_PATH,
            RegistryResourceTypes.STORED.stream().map(FHIR::getResourceType).toList());

    private SearchTestSupport() {
    }
}

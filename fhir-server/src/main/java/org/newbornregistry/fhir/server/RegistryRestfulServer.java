package org.newbornregistry.fhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.IPagingProvider;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ServerCapabilityStatementProvider;
import org.newbornregistry.fhir.search.SearchParameterRegistry;

import java.util.List;

/**
 * The registry's HAPI FHIR plain server: one provider per resource type, the system-level
 * transaction provider, database-backed paging, a CapabilityStatement built from the
 * search-parameter registry, and the registry's interceptors.
 */
public class RegistryRestfulServer extends RestfulServer {

    private final transient List<IResourceProvider> resourceProviders;
    private final transient List<Object> systemProviders;
    private final transient IPagingProvider pagingProvider;
    private final transient SearchParameterRegistry searchParameters;
    private final transient List<Object> interceptors;

    public RegistryRestfulServer(FhirContext fhirContext, List<IResourceProvider> resourceProviders,
                                 List<Object> systemProviders, IPagingProvider pagingProvider,
                                 SearchParameterRegistry searchParameters, List<Object> interceptors) {
        super(fhirContext);
        this.resourceProviders = resourceProviders;
        this.systemProviders = systemProviders;
        this.pagingProvider = pagingProvider;
        this.searchParameters = searchParameters;
        this.interceptors = interceptors;
    }

    @Override
    protected void initialize() {
        setResourceProviders(resourceProviders);
        registerProviders(systemProviders);
        setPagingProvider(pagingProvider);
        // Why: HAPI sizes offset-paged history by this, not by the paging provider.
        setDefaultPageSize(pagingProvider.getDefaultPageSize());
        setDefaultResponseEncoding(EncodingEnum.JSON);
        // Why: a gzip body would be inflated in memory before the size limit could see it.
        setUncompressIncomingContents(false);
        ServerCapabilityStatementProvider capabilities =
                new ServerCapabilityStatementProvider(this, searchParameters, getFhirContext().getValidationSupport());
        capabilities.setRestResourceRevIncludesEnabled(true);
        setServerConformanceProvider(capabilities);
        interceptors.forEach(this::registerInterceptor);
    }
}

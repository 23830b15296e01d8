package org.newbornregistry.fhir.store;

import ca.uhn.fhir.context.FhirContext;
import org.newbornregistry.fhir.search.ResourceSearcher;
import org.newbornregistry.fhir.search.SearchCursorStore;
import org.newbornregistry.fhir.search.SearchParameterRegistry;
import org.newbornregistry.fhir.search.SearchQueryParser;
import org.newbornregistry.fhir.search.SearchRowExtractor;
import org.newbornregistry.fhir.security.SecurityProperties;
import org.newbornregistry.fhir.server.FhirServerProperties;
import org.newbornregistry.fhir.validation.InboundValidator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;

/** The store and the read and write services on top of it. */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

    @Bean
    ResourceStore resourceStore(JdbcTemplate jdbcTemplate) {
        return new ResourceStore(jdbcTemplate);
    }

    /**
     * The organisations that hold records: configured ({@code nbr.security.organizations}, and the
     * development hospital token's organisation) or found in the store.
     */
    @Bean
    CustodianDirectory custodianDirectory(JdbcTemplate jdbcTemplate, ObjectProvider<SecurityProperties> security) {
        SecurityProperties properties = security.getIfAvailable();
        List<String> known = new ArrayList<>();
        if (properties != null) {
            known.addAll(properties.organizations());
            known.add(properties.devHospitalOrganization());
        }
        return new CustodianDirectory(jdbcTemplate, known);
    }

    @Bean
    ResourceEraser resourceEraser(JdbcTemplate jdbcTemplate, ResourceStore store) {
        return new ResourceEraser(jdbcTemplate, store);
    }

    @Bean
    ResourceCodec resourceCodec(FhirContext fhirContext) {
        return new ResourceCodec(fhirContext);
    }

    @Bean
    RegistryReadService registryReadService(ResourceStore store, ResourceSearcher searcher, SearchQueryParser parser,
                                            SearchCursorStore cursors, ResourceCodec codec,
                                            PlatformTransactionManager transactionManager, FhirServerProperties properties) {
        TransactionTemplate snapshot = new TransactionTemplate(transactionManager);
        // Why: a page, its count and its includes must see one snapshot of the data.
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        return new RegistryReadService(store, searcher, parser, cursors, codec, snapshot,
                new RegistryReadService.PagingLimits(properties.defaultPageSize(), properties.maxPageSize(),
                        properties.maxIncludes()));
    }

    @Bean
    RegistryWriteService registryWriteService(FhirContext fhirContext, SearchParameterRegistry registry,
                                              SearchQueryParser parser, ResourceSearcher searcher,
                                              SearchRowExtractor extractor, ResourceCodec codec, ResourceStore store,
                                              RegistryReadService reads, PlatformTransactionManager transactionManager,
                                              InboundValidator validation,
                                              ObjectProvider<StoredVersionListener> listeners,
                                              CustodianDirectory custodians) {
        ResourceWriter writer = new ResourceWriter(fhirContext, registry, parser, searcher, extractor, codec, store,
                listeners.orderedStream().toList(), custodians);
        BundleProcessor bundles = new BundleProcessor(fhirContext, writer, reads, store);
        return new RegistryWriteService(writer, bundles, store, new TransactionTemplate(transactionManager), validation);
    }
}

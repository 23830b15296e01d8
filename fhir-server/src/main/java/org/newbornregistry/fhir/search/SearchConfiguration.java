package org.newbornregistry.fhir.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import org.hl7.fhir.r4.model.SearchParameter;
import org.newbornregistry.fhir.server.RegistryResourceTypes;
import org.newbornregistry.fhir.store.ResourceStore;
import org.newbornregistry.fhir.validation.ConformancePackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The search side of the store: parameter registry, index extraction, query parsing and execution. */
@Configuration(proxyBeanMethods = false)
public class SearchConfiguration {

    @Bean
    IFhirPath searchFhirPath(FhirContext fhirContext) {
        return SearchRowExtractor.newFhirPath(fhirContext);
    }

    @Bean
    SearchParameterRegistry searchParameterRegistry(FhirContext fhirContext, IFhirPath searchFhirPath) {
        return new SearchParameterRegistry(fhirContext, searchFhirPath,
                RegistryResourceTypes.STORED.stream().map(type -> fhirContext.getResourceType(type)).toList(),
                ConformancePackage.load(fhirContext).resources().stream()
                        .filter(SearchParameter.class::isInstance).map(SearchParameter.class::cast).toList());
    }

    /** Deletes the index rows of parameters no longer served from a database that has them (Flyway picks up JavaMigration beans). */
    @Bean
    UnservedSearchRowsMigration unservedSearchRowsMigration(SearchParameterRegistry registry) {
        return new UnservedSearchRowsMigration(registry);
    }

    @Bean
    SearchRowExtractor searchRowExtractor(IFhirPath searchFhirPath, SearchParameterRegistry registry) {
        return new SearchRowExtractor(searchFhirPath, registry);
    }

    @Bean
    SearchQueryParser searchQueryParser(SearchParameterRegistry registry) {
        return new SearchQueryParser(registry);
    }

    @Bean
    ResourceSearcher resourceSearcher(JdbcTemplate jdbcTemplate, SearchParameterRegistry registry, ResourceStore store) {
        return new ResourceSearcher(jdbcTemplate, registry, store);
    }

    @Bean
    SearchCursorStore searchCursorStore(JdbcTemplate jdbcTemplate) {
        return new SearchCursorStore(jdbcTemplate);
    }
}

package org.newbornregistry.fhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.IResourceProvider;
import org.hl7.fhir.r4.model.Resource;
import org.newbornregistry.fhir.audit.AuditConfiguration;
import org.newbornregistry.fhir.audit.RestAuditInterceptor;
import org.newbornregistry.fhir.audit.RestWriteAudit;
import org.newbornregistry.fhir.audit.store.AuditEventProvider;
import org.newbornregistry.fhir.audit.store.AuditStore;
import org.newbornregistry.fhir.hl7.MessagesConfiguration;
import org.newbornregistry.fhir.interceptor.CapabilityStatementInterceptor;
import org.newbornregistry.fhir.interceptor.RefusalLogFilter;
import org.newbornregistry.fhir.interceptor.SafeErrorInterceptor;
import org.newbornregistry.fhir.outbox.OutboxConfiguration;
import org.newbornregistry.fhir.provider.RegistryResourceProvider;
import org.newbornregistry.fhir.provider.RequestOrigins;
import org.newbornregistry.fhir.provider.TransactionProvider;
import org.newbornregistry.fhir.search.SearchConfiguration;
import org.newbornregistry.fhir.search.SearchCursorStore;
import org.newbornregistry.fhir.search.SearchParameterRegistry;
import org.newbornregistry.fhir.security.CustodianSearchNarrowing;
import org.newbornregistry.fhir.security.GenotypeMasking;
import org.newbornregistry.fhir.security.ScopeAuthorizationInterceptor;
import org.newbornregistry.fhir.store.RegistryReadService;
import org.newbornregistry.fhir.store.RegistryWriteService;
import org.newbornregistry.fhir.store.StoreConfiguration;
import org.newbornregistry.fhir.validation.ConformancePackage;
import org.newbornregistry.fhir.validation.RegistryValidator;
import org.newbornregistry.fhir.validation.ValidationConfiguration;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.ValueSet;
import org.newbornregistry.fhir.provider.ConformanceResourceProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs the FHIR registry inside a Spring Boot web application: the HAPI servlet at
 * {@code nbr.fhir.base-path} (default {@code /fhir}) over the PostgreSQL store, the request size
 * limit in front of it, and the clean-up of expired search listings.
 */
@AutoConfiguration(after = {FlywayAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
        DataSourceTransactionManagerAutoConfiguration.class})
@EnableConfigurationProperties(FhirServerProperties.class)
@EnableScheduling
@Import({SearchConfiguration.class, ValidationConfiguration.class, StoreConfiguration.class, MessagesConfiguration.class,
        OutboxConfiguration.class, AuditConfiguration.class})
public class RegistryServerAutoConfiguration {

    /** The one clock the registry reads time from: a test, or a deployment with a time source of its own, replaces it here. */
    @Bean
    @ConditionalOnMissingBean
    Clock registryClock() {
        return Clock.systemUTC();
    }

    /** The R4 context; its parser refuses input it would otherwise drop (see {@link NoDataLossParserErrorHandler}). */
    @Bean
    @ConditionalOnMissingBean
    FhirContext fhirContext() {
        // Why here: whatever needs the core definitions (the search index's FHIRPath engine, the validator) gets them
        // through this context, so it is handed out once the background parse has filled HAPI's JVM-wide cache.
        CoreDefinitionsPreloader.awaitCoreDefinitions();
        FhirContext context = FhirContext.forR4();
        context.setParserErrorHandler(new NoDataLossParserErrorHandler());
        // Why: an audit record names the version it read or wrote; HAPI strips versions from references by default.
        context.getParserOptions().setDontStripVersionsFromReferencesAtPaths("AuditEvent.entity.what");
        return context;
    }

    /** FHIR requests named by route template in http.server.requests, not UNKNOWN; Spring Boot's observation filter takes it. */
    @Bean
    FhirRequestObservationConvention fhirRequestObservationConvention(FhirServerProperties properties, FhirContext fhirContext,
                                                                      RegistryValidator validator) {
        Set<String> served = new TreeSet<>();
        RegistryResourceTypes.ALL.forEach(type -> served.add(fhirContext.getResourceType(type)));
        validator.conformancePackage().resources().forEach(resource -> served.add(resource.fhirType()));
        return new FhirRequestObservationConvention(properties.basePath(), served);
    }

    @Bean
    RegistryRestfulServer registryRestfulServer(FhirContext fhirContext, RegistryReadService reads,
                                                RegistryWriteService writes, SearchParameterRegistry searchParameters,
                                                RegistryValidator validator, FhirServerProperties properties,
                                                ObjectProvider<RegistryOperationProvider> operations,
                                                RestAuditInterceptor audit, AuditStore auditStore,
                                                RestWriteAudit writeAudit) {
        RequestOrigins origins = new RequestOrigins(writeAudit);
        RefusalLogFilter.install();
        List<IResourceProvider> providers = new ArrayList<>();
        for (Class<? extends Resource> type : RegistryResourceTypes.STORED) {
            providers.add(new RegistryResourceProvider<>(type, fhirContext.getResourceType(type), reads, writes, origins));
        }
        AuditEventProvider auditEvents = new AuditEventProvider(auditStore, properties.defaultPageSize(), properties.maxPageSize());
        providers.add(auditEvents);
        ConformancePackage conformance = validator.conformancePackage();
        providers.add(conformanceProvider(StructureDefinition.class, conformance));
        providers.add(conformanceProvider(CodeSystem.class, conformance));
        providers.add(conformanceProvider(ValueSet.class, conformance));
        providers.add(conformanceProvider(SearchParameter.class, conformance));
        String version = RegistryServerAutoConfiguration.class.getPackage().getImplementationVersion();
        List<Object> systemProviders = new ArrayList<>();
        systemProviders.add(new TransactionProvider(writes, origins));
        operations.orderedStream().forEach(systemProviders::add);
        return new RegistryRestfulServer(fhirContext, providers, systemProviders,
                new DatabasePagingProvider(reads, auditEvents, properties.defaultPageSize(), properties.maxPageSize()),
                searchParameters,
                List.of(new SafeErrorInterceptor(), audit, new CustodianSearchNarrowing(), new ScopeAuthorizationInterceptor(fhirContext),
                        new GenotypeMasking(),
                        new CapabilityStatementInterceptor(version == null ? "development" : version,
                                searchParameters.resourceTypes(), conformance)));
    }

    private static <T extends MetadataResource> ConformanceResourceProvider<T> conformanceProvider(
            Class<T> type, ConformancePackage conformance) {
        return new ConformanceResourceProvider<>(type,
                conformance.resources().stream().filter(type::isInstance).map(type::cast).toList());
    }

    @Bean
    ServletRegistrationBean<RegistryRestfulServer> registryServlet(RegistryRestfulServer server,
                                                                   FhirServerProperties properties) {
        ServletRegistrationBean<RegistryRestfulServer> registration =
                new ServletRegistrationBean<>(server, properties.basePath() + "/*");
        registration.setName("fhir-registry");
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(FhirServerProperties properties) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeLimitFilter(properties.maxRequestSize().toBytes()));
        registration.addUrlPatterns(properties.basePath() + "/*");
        return registration;
    }

    /** Refuses parameters holding NUL on every path: /fhir, /audit, /admin and the console alike. */
    @Bean
    FilterRegistrationBean<NulParameterFilter> nulParameterFilter(FhirContext fhirContext, FhirServerProperties properties) {
        FilterRegistrationBean<NulParameterFilter> registration =
                new FilterRegistrationBean<>(new NulParameterFilter(fhirContext, properties.basePath()));
        registration.addUrlPatterns("/*");
        return registration;
    }

    /**
     * FHIR search syntax puts {@code |} (token system), {@code [} and {@code ]} in query strings,
     * which Tomcat rejects unencoded by default; FHIR clients and curl users send them as they are.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> fhirQueryCharacters() {
        return factory -> factory.addConnectorCustomizers(connector -> connector.setProperty("relaxedQueryChars", "|[]{}"));
    }

    @Bean
    SearchListingReaper searchListingReaper(SearchCursorStore cursors, FhirServerProperties properties, Clock clock) {
        return new SearchListingReaper(cursors, properties, clock);
    }

    /** Deletes stored search and history listings once their links have expired. */
    static final class SearchListingReaper {
        private final SearchCursorStore cursors;
        private final FhirServerProperties properties;
        private final Clock clock;

        SearchListingReaper(SearchCursorStore cursors, FhirServerProperties properties, Clock clock) {
            this.cursors = cursors;
            this.properties = properties;
            this.clock = clock;
        }

        @Scheduled(fixedDelayString = "${nbr.fhir.search-reaper-interval:PT10M}", initialDelayString = "PT1M")
        void deleteExpired() {
            cursors.deleteCreatedBefore(clock.instant().minus(properties.searchRetention()));
        }
    }
}

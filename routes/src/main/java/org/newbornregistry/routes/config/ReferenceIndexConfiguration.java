package org.newbornregistry.routes.config;

import ca.uhn.fhir.context.FhirContext;
import org.newbornregistry.routes.index.ReferenceIndexServer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the reference national-index peer, unless {@code nbr.index.reference.enabled=false} or
 * {@code nbr.index.url} names a real index elsewhere ({@link ReferenceIndexWanted}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReferenceIndexProperties.class)
@Conditional(ReferenceIndexWanted.class)
public class ReferenceIndexConfiguration {

    @Bean
    ReferenceIndexServer referenceIndexServer(ReferenceIndexProperties properties, FhirContext fhirContext) {
        // Why the application's context: a second one costs a second of start-up.
        return new ReferenceIndexServer(fhirContext, properties.host(), properties.port());
    }
}

package org.newbornregistry.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import org.newbornregistry.fhir.server.FhirServerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

/**
 * The shared validator and the write path's validation step. The validator is built (and its
 * profiles' snapshots generated, or read from the snapshot cache) at start-up. When validation is
 * on it is warmed on a thread of its own while start-up goes on: warming (five seconds of R4 to R5
 * conversion of every core definition) would otherwise hold up the listeners, and a request that
 * validates before it is done is correct, only slower, because the validator serves concurrent
 * requests anyway. The log says how long each took.
 */
@Configuration(proxyBeanMethods = false)
public class ValidationConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ValidationConfiguration.class);

    /** The validator over the registry's package; also the source of the published conformance resources. */
    @Bean
    RegistryValidator registryValidator(FhirContext fhirContext, FhirServerProperties properties) {
        long started = System.nanoTime();
        String cache = properties.validation().snapshotCache();
        RegistryValidator validator = RegistryValidator.create(fhirContext, cache == null || cache.isBlank() ? null : Path.of(cache));
        LOG.info("Conformance package {} {} loaded with its profile snapshots in {} ms",
                validator.conformancePackage().name(), validator.conformancePackage().version(),
                (System.nanoTime() - started) / 1_000_000);
        return validator;
    }

    @Bean
    InboundValidator inboundValidator(FhirContext fhirContext, RegistryValidator validator, FhirServerProperties properties) {
        boolean enabled = properties.validation().enabled();
        if (enabled) {
            Thread warmUp = new Thread(() -> warmUp(validator), "nbr-validator-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
        } else {
            LOG.warn("Validation of resources sent over FHIR is off (nbr.fhir.validation.enabled=false)");
        }
        return new InboundValidator(fhirContext, validator, enabled);
    }

    private static void warmUp(RegistryValidator validator) {
        long started = System.nanoTime();
        try {
            int profiles = validator.warmUp();
            LOG.info("FHIR validator warmed over {} profiles in {} ms", profiles, (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            // Why: warming only moves loading ahead of the first request; that request loads whatever is missing.
            LOG.warn("Warming the FHIR validator failed ({}); the first validations load what it needs", e.getClass().getSimpleName());
        }
    }
}

package org.newbornregistry.fhir.audit;

import ca.uhn.fhir.context.FhirContext;
import org.newbornregistry.fhir.server.RegistryResourceTypes;
import org.newbornregistry.fhir.store.RegistryWriteService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;

/** The audit of the registry's own interfaces. */
@Configuration(proxyBeanMethods = false)
@Import(ConsentLogController.class)
public class AuditConfiguration {

    @Bean
    AuditTrail auditTrail(RegistryWriteService writes) {
        return new AuditTrail(writes);
    }

    @Bean
    RestWriteAudit restWriteAudit(ObjectProvider<AuditTrail> trail, FhirContext fhirContext) {
        Set<String> audited = RegistryResourceTypes.ALL.stream().map(type -> fhirContext.getResourceType(type))
                .filter(type -> !type.equals("AuditEvent")).collect(Collectors.toUnmodifiableSet());
        return new RestWriteAudit(audited, trail, new PatientReferences(fhirContext), Clock.systemUTC());
    }

    @Bean
    ConsentLog consentLog(JdbcTemplate jdbcTemplate, FhirContext fhirContext) {
        return new ConsentLog(jdbcTemplate, fhirContext);
    }

    @Bean
    RestAuditInterceptor restAuditInterceptor(AuditTrail trail, FhirContext fhirContext) {
        return new RestAuditInterceptor(trail, new PatientReferences(fhirContext), Clock.systemUTC());
    }
}

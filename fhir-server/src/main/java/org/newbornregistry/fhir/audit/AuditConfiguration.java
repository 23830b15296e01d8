package org.newbornregistry.fhir.audit;

import ca.uhn.fhir.context.FhirContext;
import org.newbornregistry.fhir.outbox.IndexOutbox;
import org.newbornregistry.fhir.server.RegistryResourceTypes;
import org.newbornregistry.fhir.store.RegistryWriteService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;

/** The audit of the registry's own interfaces. */
@Configuration(proxyBeanMethods = false)
@Import({ConsentLogController.class, AuditLogController.class, AuditExportController.class, AuditOverviewController.class,
        NewbornTrailController.class})
@EnableConfigurationProperties(AuditProperties.class)
public class AuditConfiguration {

    @Bean
    AuditLog auditLog(JdbcTemplate jdbcTemplate, PlatformTransactionManager transactionManager, AuditProperties properties) {
        return new AuditLog(jdbcTemplate, new TransactionTemplate(transactionManager), CheckpointKeys.signer(properties),
                properties.origin(), Clock.systemUTC());
    }

    @Bean
    AuditVerifications auditVerifications(AuditLog auditLog, AuditProperties properties) {
        return new AuditVerifications(auditLog, properties.verifyInterval(), Clock.systemUTC());
    }

    @Bean
    AuditLogMetrics auditLogMetrics(AuditLog auditLog, AuditVerifications verifications) {
        return new AuditLogMetrics(auditLog, verifications, Clock.systemUTC());
    }

    /** The audit log's part of readiness (health contributor {@code auditLog}). */
    @Bean
    AuditLogHealthIndicator auditLogHealthIndicator(AuditVerifications verifications) {
        return new AuditLogHealthIndicator(verifications);
    }

    @Bean
    CheckpointSchedule checkpointSchedule(AuditLog auditLog) {
        return new CheckpointSchedule(auditLog);
    }

    /** Integrates new entries and signs a checkpoint at {@code nbr.audit.checkpoint-interval}. */
    static final class CheckpointSchedule {
        private final AuditLog log;

        CheckpointSchedule(AuditLog log) {
            this.log = log;
        }

        @Scheduled(fixedDelayString = "${nbr.audit.checkpoint-interval:PT1M}", initialDelayString = "${nbr.audit.checkpoint-interval:PT1M}")
        void checkpoint() {
            log.integrate();
        }
    }

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
    NewbornTrail newbornTrail(JdbcTemplate jdbcTemplate, FhirContext fhirContext, AuditTrail auditTrail) {
        return new NewbornTrail(jdbcTemplate, fhirContext, auditTrail, Clock.systemUTC());
    }

    @Bean
    RegistryOverview registryOverview(JdbcTemplate jdbcTemplate, IndexOutbox outbox, AuditLog auditLog,
                                      AuditVerifications verifications) {
        return new RegistryOverview(jdbcTemplate, outbox, auditLog, verifications, Clock.systemUTC());
    }

    @Bean
    RestAuditInterceptor restAuditInterceptor(AuditTrail trail, FhirContext fhirContext) {
        return new RestAuditInterceptor(trail, new PatientReferences(fhirContext), Clock.systemUTC());
    }
}

package org.newbornregistry.fhir.audit;

import ca.uhn.fhir.context.FhirContext;
import org.newbornregistry.fhir.outbox.IndexOutbox;
import org.newbornregistry.adapter.audit.merkle.EntrySigner;
import org.newbornregistry.adapter.audit.merkle.NoteSigner;
import org.newbornregistry.fhir.audit.store.AuditStore;
import org.newbornregistry.fhir.audit.store.AuditStoreMigration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import org.newbornregistry.adapter.audit.merkle.WitnessKey;
import org.newbornregistry.fhir.audit.witness.CheckpointWitnesses;
import org.newbornregistry.fhir.audit.witness.WitnessClient;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.security.KeyPair;
import java.time.Clock;

/** The audit of the registry's own interfaces. */
@Configuration(proxyBeanMethods = false)
@Import({ConsentLogController.class, AuditLogController.class, AuditExportController.class, AuditOverviewController.class,
        NewbornTrailController.class})
@EnableConfigurationProperties(AuditProperties.class)
public class AuditConfiguration {

    /** The audit log's key pair: it signs the checkpoints and every entry, and is never in the database. */
    @Bean
    AuditKeys auditKeys(AuditProperties properties) {
        KeyPair pair = CheckpointKeys.pair(properties);
        return new AuditKeys(CheckpointKeys.signer(properties, pair), new EntrySigner(pair.getPrivate(), pair.getPublic()));
    }

    /** The checkpoint signer and the entry signer of one key pair. */
    public record AuditKeys(NoteSigner checkpoints, EntrySigner entries) {
    }

    @Bean
    AuditStore auditStore(JdbcTemplate jdbcTemplate, PlatformTransactionManager transactionManager, FhirContext fhirContext,
                          AuditKeys keys, Clock clock) {
        return new AuditStore(jdbcTemplate, new TransactionTemplate(transactionManager), fhirContext, keys.entries(),
                clock);
    }

    /** Moves the AuditEvents of a database from before the audit store into it (Flyway picks up JavaMigration beans). */
    @Bean
    AuditStoreMigration auditStoreMigration(FhirContext fhirContext, AuditKeys keys) {
        return new AuditStoreMigration(fhirContext, keys.entries());
    }

    @Bean
    AuditLog auditLog(JdbcTemplate jdbcTemplate, PlatformTransactionManager transactionManager, AuditProperties properties,
                      AuditKeys keys, Clock clock) {
        return new AuditLog(jdbcTemplate, new TransactionTemplate(transactionManager), keys.checkpoints(),
                keys.entries().publicKey(), new CheckpointFile(Path.of(properties.checkpointFile())), properties.origin(),
                clock);
    }

    @Bean
    AuditVerifications auditVerifications(AuditLog auditLog, AuditProperties properties, Clock clock) {
        return new AuditVerifications(auditLog, properties.verifyInterval(), clock);
    }

    @Bean
    AuditLogMetrics auditLogMetrics(AuditLog auditLog, AuditVerifications verifications, Clock clock) {
        return new AuditLogMetrics(auditLog, verifications, clock);
    }

    /** The audit log's part of readiness (health contributor {@code auditLog}). */
    @Bean
    AuditLogHealthIndicator auditLogHealthIndicator(AuditVerifications verifications) {
        return new AuditLogHealthIndicator(verifications);
    }

    /** The configured witnesses of the checkpoints. */
    @Bean
    CheckpointWitnesses checkpointWitnesses(AuditLog auditLog, JdbcTemplate jdbcTemplate, AuditProperties properties, Clock clock) {
        List<WitnessClient> clients = properties.witnesses().stream().map(witness -> new WitnessClient(witness.url(), witness.name(),
                witness.key() == null || witness.key().isBlank() ? Optional.empty() : Optional.of(WitnessKey.parse(witness.key().trim())),
                properties.witnessTimeout())).toList();
        return new CheckpointWitnesses(auditLog, clients, jdbcTemplate, clock);
    }

    @Bean
    AuditCheckpoints auditCheckpoints(AuditLog auditLog, CheckpointWitnesses witnesses) {
        return new AuditCheckpoints(auditLog, witnesses);
    }

    @Bean
    CheckpointSchedule checkpointSchedule(AuditCheckpoints checkpoints) {
        return new CheckpointSchedule(checkpoints);
    }

    /** Integrates new entries, signs a checkpoint and hands it on at {@code nbr.audit.checkpoint-interval}. */
    static final class CheckpointSchedule {
        private final AuditCheckpoints checkpoints;

        CheckpointSchedule(AuditCheckpoints checkpoints) {
            this.checkpoints = checkpoints;
        }

        @Scheduled(fixedDelayString = "${nbr.audit.checkpoint-interval:PT1M}", initialDelayString = "${nbr.audit.checkpoint-interval:PT1M}")
        void checkpoint() {
            try {
                checkpoints.checkpoint();
            } catch (AuditLog.IntegrityException e) {
                // Why: logged where found; verification reports it to readiness and the metrics.
            }
        }
    }

    @Bean
    AuditTrail auditTrail(AuditStore store) {
        return new AuditTrail(store);
    }

    @Bean
    RestWriteAudit restWriteAudit(AuditTrail trail, FhirContext fhirContext, Clock clock) {
        return new RestWriteAudit(trail, new PatientReferences(fhirContext), clock);
    }

    @Bean
    ConsentLog consentLog(JdbcTemplate jdbcTemplate, FhirContext fhirContext, AuditStore store) {
        return new ConsentLog(jdbcTemplate, fhirContext, store);
    }

    @Bean
    NewbornTrail newbornTrail(JdbcTemplate jdbcTemplate, FhirContext fhirContext, AuditTrail auditTrail, AuditStore store, Clock clock) {
        return new NewbornTrail(jdbcTemplate, fhirContext, auditTrail, store, clock);
    }

    @Bean
    RegistryOverview registryOverview(JdbcTemplate jdbcTemplate, IndexOutbox outbox, AuditLog auditLog,
                                      AuditVerifications verifications, Clock clock) {
        return new RegistryOverview(jdbcTemplate, outbox, auditLog, verifications, clock);
    }

    @Bean
    RestAuditInterceptor restAuditInterceptor(AuditTrail trail, FhirContext fhirContext, Clock clock) {
        return new RestAuditInterceptor(trail, new PatientReferences(fhirContext), clock);
    }
}

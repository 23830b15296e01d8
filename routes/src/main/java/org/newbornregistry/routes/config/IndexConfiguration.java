package org.newbornregistry.routes.config;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.newbornregistry.adapter.audit.IndexAuditEvents;
import org.newbornregistry.adapter.index.Pseudonymizer;
import org.newbornregistry.fhir.audit.AuditTrail;
import org.newbornregistry.fhir.hl7.MessageStore;
import org.newbornregistry.fhir.outbox.IndexOutbox;
import org.newbornregistry.fhir.store.RegistryReadService;
import org.newbornregistry.fhir.store.ResourceEraser;
import org.newbornregistry.routes.index.IndexClient;
import org.newbornregistry.routes.index.IndexForwarder;
import org.newbornregistry.routes.index.IndexForwardingRoute;
import org.newbornregistry.routes.index.IndexMetrics;
import org.newbornregistry.routes.index.OutboxBacklog;
import org.newbornregistry.routes.index.OutboxHealthIndicator;
import org.newbornregistry.routes.index.OutboxMetrics;
import org.newbornregistry.routes.index.PseudonymKeys;
import org.newbornregistry.routes.index.Reidentification;
import org.newbornregistry.routes.index.ReidentificationProvider;
import org.newbornregistry.routes.index.RetentionRoute;
import org.newbornregistry.routes.index.RetentionRun;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Period;

/** Forwarding to the national index: the outbox route and what it needs. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({IndexProperties.class, RetentionProperties.class, HealthProperties.class})
@ConditionalOnProperty(prefix = "nbr.index", name = "enabled", havingValue = "true", matchIfMissing = true)
public class IndexConfiguration {

    @Bean
    Pseudonymizer pseudonymizer(IndexProperties properties) {
        return new Pseudonymizer(PseudonymKeys.load(properties.pseudonymKey(), Path.of(properties.pseudonymKeyFile())));
    }

    /** The audit events of everything the registry does towards the index, naming that index as the destination. */
    @Bean
    IndexAuditEvents indexAuditEvents(IndexProperties properties) {
        return new IndexAuditEvents(properties.destinationOri(), properties.url().toString());
    }

    @Bean
    IndexForwarder indexForwarder(IndexOutbox outbox, RegistryReadService reads, Pseudonymizer pseudonymizer,
                                  ResourceEraser eraser, MessageStore messages, AuditTrail auditTrail, IndexAuditEvents events,
                                  PlatformTransactionManager transactionManager,
                                  IndexProperties properties, FhirContext fhirContext, MeterRegistry meters, Clock clock) {
        return new IndexForwarder(outbox, reads, pseudonymizer,
                new IndexClient(properties.url(), properties.requestTimeout()), eraser, messages, auditTrail, events,
                new TransactionTemplate(transactionManager), properties, clock, fhirContext,
                new IndexMetrics(meters));
    }

    @Bean
    Reidentification reidentification(IndexOutbox outbox, Pseudonymizer pseudonymizer, RegistryReadService reads,
                                      AuditTrail auditTrail, IndexAuditEvents events, Clock clock) {
        return new Reidentification(outbox, pseudonymizer, reads, auditTrail, events, clock);
    }

    @Bean
    ReidentificationProvider reidentificationProvider(Reidentification reidentification) {
        return new ReidentificationProvider(reidentification);
    }

    @Bean
    RetentionRun retentionRun(IndexOutbox outbox, AuditTrail auditTrail, IndexAuditEvents events,
                              PlatformTransactionManager transactionManager, IndexProperties index, RetentionProperties retention,
                              MeterRegistry meters, Clock clock) {
        return new RetentionRun(outbox, auditTrail, events,
                new TransactionTemplate(transactionManager), retention.gracePeriod(), Period.ofYears(index.ageOfMajority()),
                clock, meters);
    }

    @Bean
    @ConditionalOnProperty(prefix = "nbr.retention", name = "enabled", havingValue = "true", matchIfMissing = true)
    RetentionRoute retentionRoute(RetentionRun retention, RetentionProperties properties) {
        return new RetentionRoute(retention, properties.initialDelay().toMillis(), properties.interval().toMillis());
    }

    @Bean
    OutboxBacklog outboxBacklog(IndexOutbox outbox, Clock clock) {
        return new OutboxBacklog(outbox, clock);
    }

    @Bean
    OutboxMetrics outboxMetrics(OutboxBacklog backlog) {
        return new OutboxMetrics(backlog);
    }

    /** The outbox's part of readiness (health contributor {@code outbox}). */
    @Bean
    OutboxHealthIndicator outboxHealthIndicator(OutboxBacklog backlog, HealthProperties health) {
        return new OutboxHealthIndicator(backlog, health.outboxStallThreshold());
    }

    @Bean
    IndexForwardingRoute indexForwardingRoute(IndexForwarder forwarder, IndexProperties properties) {
        return new IndexForwardingRoute(forwarder, properties.pollInterval().toMillis());
    }
}

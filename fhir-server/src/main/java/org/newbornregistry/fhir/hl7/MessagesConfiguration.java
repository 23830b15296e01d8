package org.newbornregistry.fhir.hl7;

import io.micrometer.core.instrument.MeterRegistry;
import org.newbornregistry.adapter.hl7.AckFactory;
import org.newbornregistry.adapter.mapping.V2Intake;
import org.newbornregistry.fhir.audit.AuditTrail;
import org.newbornregistry.fhir.hl7.admin.MessageAdminController;
import org.newbornregistry.fhir.hl7.admin.MessageAdminProblems;
import org.newbornregistry.fhir.store.RegistryWriteService;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;

/** The HL7 v2 entrance of the write path, its message store and the operators' admin API over it. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(Hl7Properties.class)
@Import({MessageAdminController.class, MessageAdminProblems.class})
public class MessagesConfiguration {

    @Bean
    MessageStore messageStore(JdbcTemplate jdbcTemplate) {
        return new MessageStore(jdbcTemplate);
    }

    @Bean
    InboundMessageService inboundMessageService(Hl7Properties properties, MessageStore store, RegistryWriteService writes,
                                                AuditTrail audit, PlatformTransactionManager transactionManager,
                                                MeterRegistry meters, Clock clock) {
        return new InboundMessageService(
                new V2Intake(properties.defaultTimeZone(), properties.processingIds()),
                new AckFactory(properties.ackApplication(), properties.ackFacility()),
                store, writes, audit, new TransactionTemplate(transactionManager), clock, new MessageMetrics(meters),
                properties.groupCommit());
    }

    @Bean
    RawMessageReaper rawMessageReaper(MessageStore store, Hl7Properties properties, Clock clock) {
        return new RawMessageReaper(store, properties, clock);
    }

    /** Deletes the bytes of processed messages once their retention period has passed. */
    static final class RawMessageReaper {
        private final MessageStore store;
        private final Hl7Properties properties;
        private final Clock clock;

        RawMessageReaper(MessageStore store, Hl7Properties properties, Clock clock) {
            this.store = store;
            this.properties = properties;
            this.clock = clock;
        }

        @Scheduled(fixedDelayString = "${nbr.hl7.raw-reaper-interval:PT1H}", initialDelayString = "PT5M")
        void forgetExpired() {
            store.forgetRawBefore(clock.instant().minus(properties.rawRetention()));
        }
    }
}

package org.newbornregistry.fhir.outbox;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The outbox towards the national index. */
@Configuration(proxyBeanMethods = false)
public class OutboxConfiguration {

    @Bean
    IndexOutbox indexOutbox(JdbcTemplate jdbcTemplate) {
        return new IndexOutbox(jdbcTemplate);
    }

    @Bean
    IndexOutboxTrigger indexOutboxTrigger(IndexOutbox outbox) {
        return new IndexOutboxTrigger(outbox);
    }
}

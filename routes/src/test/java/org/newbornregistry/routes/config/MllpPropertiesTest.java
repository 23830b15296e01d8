package org.newbornregistry.routes.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The listener's timeouts are durations, and a configuration that gave them in milliseconds still means the same. */
class MllpPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(MllpProperties.class)
    static class Bound {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class)).withUserConfiguration(Bound.class);

    @Test
    void shouldDefaultToFifteenSecondsToReceiveAndNoIdleLimit() {
        runner.run(context -> {
            MllpProperties mllp = context.getBean(MllpProperties.class);
            assertThat(mllp.receiveTimeout()).isEqualTo(Duration.ofSeconds(15));
            assertThat(mllp.idleTimeout()).isEqualTo(Duration.ZERO);
        });
    }

    @Test
    void shouldReadABareNumberAsMillisecondsAndAUnitAsWritten() {
        runner.withPropertyValues("nbr.mllp.receive-timeout=15000", "nbr.mllp.idle-timeout=2h").run(context -> {
            MllpProperties mllp = context.getBean(MllpProperties.class);
            assertThat(mllp.receiveTimeout()).isEqualTo(Duration.ofMillis(15000));
            assertThat(mllp.idleTimeout()).isEqualTo(Duration.ofHours(2));
        });
    }

    @Test
    void shouldRefuseAReceiveTimeoutTooShortToReadAFrame() {
        runner.withPropertyValues("nbr.mllp.receive-timeout=50ms")
                .run(context -> assertThat(context).hasFailed().getFailure().hasStackTraceContaining("receiveTimeout"));
    }
}

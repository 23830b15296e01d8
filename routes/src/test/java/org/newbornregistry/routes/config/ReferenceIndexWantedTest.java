package org.newbornregistry.routes.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference peer starts for the default run and tests, not beside a real index. */
class ReferenceIndexWantedTest {

    @Configuration(proxyBeanMethods = false)
    @Conditional(ReferenceIndexWanted.class)
    static class Peer {
        @Bean
        String peer() {
            return "peer";
        }
    }

    @ParameterizedTest(name = "url={0} enabled={1} → {2}")
    @CsvSource({
            "'', true, true",
            "http://127.0.0.1:8090/index, true, true",
            "http://localhost:18090/index, true, true",
            "https://ndis.example.gov/index, true, false",
            "http://10.0.0.5:8090/index, true, false",
            "'', false, false"})
    void shouldStartThePeerOnlyWhenTheIndexIsTheLocalPeer(String url, boolean enabled, boolean started) {
        new ApplicationContextRunner().withUserConfiguration(Peer.class)
                .withPropertyValues("nbr.index.url=" + url, "nbr.index.reference.enabled=" + enabled)
                .run(context -> assertThat(context.containsBean("peer")).isEqualTo(started));
    }
}

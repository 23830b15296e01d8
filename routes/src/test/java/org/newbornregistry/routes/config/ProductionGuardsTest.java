package org.newbornregistry.routes.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The production profile refuses configurations fit for development only, before anything starts. */
class ProductionGuardsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(ProductionGuards.class);

    @Test
    void shouldRefuseToStartWhenProductionListensForMllpInPlainText() {
        runner.withPropertyValues("spring.profiles.active=production")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).isInstanceOf(IllegalStateException.class)
                            .hasMessageStartingWith("Refusing to start with the 'production' profile: ")
                            .hasMessageContaining("nbr.mllp.tls.enabled is false");
                });
    }

    @Test
    void shouldStartWhenProductionHasMllpOverTls() {
        runner.withPropertyValues("spring.profiles.active=production", "nbr.mllp.tls.enabled=true",
                        "spring.security.oauth2.resourceserver.jwt.issuer-uri=https://login.example.org/realms/nbr")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void shouldStartWhenProductionRunsNoMllpListener() {
        runner.withPropertyValues("spring.profiles.active=production", "nbr.mllp.enabled=false",
                        "spring.security.oauth2.resourceserver.jwt.issuer-uri=https://login.example.org/realms/nbr")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void shouldRefuseToStartWhenProductionWouldUseTheDevelopmentTokenIssuer() {
        runner.withPropertyValues("spring.profiles.active=production", "nbr.mllp.tls.enabled=true")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasMessageContaining("development issuer");
                });
    }

    @Test
    void shouldStartWhenProductionTakesTokensFromAJwkSet() {
        runner.withPropertyValues("spring.profiles.active=production", "nbr.mllp.enabled=false",
                        "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=https://login.example.org/jwks")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void shouldLetTheDefaultRunListenInPlainText() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ProductionGuards.class);
        });
    }
}

package org.newbornregistry.fhir.security;

import ca.uhn.fhir.context.FhirContext;
import org.newbornregistry.adapter.audit.DenialThrottle;
import org.newbornregistry.fhir.audit.AuditProperties;
import org.newbornregistry.fhir.audit.AuditTrail;
import org.newbornregistry.fhir.server.FhirServerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Bearer-token security for the HTTP interfaces: /fhir/** needs a valid token (HAPI's
 * {@link ScopeAuthorizationInterceptor} then decides per interaction), /admin/** the
 * {@code nbr/admin} scope, /audit/** {@code nbr/audit} (but a newborn trail by pseudonym {@code nbr/reidentify}), the metrics (/actuator/metrics, /actuator/prometheus)
 * {@code nbr/metrics}; the CapabilityStatement and /actuator/health (its details only for {@code nbr/admin},
 * see application.yml) stay open and everything else is denied. Tokens are validated against
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri} (Spring
 * Boot's decoder), or — with neither set — against the {@link DevelopmentIssuer}.
 */
@AutoConfiguration(before = {SecurityAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class,
        UserDetailsServiceAutoConfiguration.class})
@EnableConfigurationProperties({SecurityProperties.class, FhirServerProperties.class})
public class RegistrySecurityAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrySecurityAutoConfiguration.class);

    @Bean
    SecurityFilterChain registrySecurity(HttpSecurity http, FhirContext fhirContext, AuditTrail trail,
                                         FhirServerProperties fhir, AuditProperties audit, Clock clock) throws Exception {
        DenialResponses denials = new DenialResponses(fhirContext, trail, fhir.basePath(), clock,
                DenialThrottle.perMinute(audit.anonymousDenialsPerMinute(), clock));
        String base = fhir.basePath();
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(path.matcher("/actuator/health"), path.matcher("/actuator/health/**"),
                                path.matcher("/error")).permitAll()
                        .requestMatchers(path.matcher(HttpMethod.GET, base + "/metadata")).permitAll()
                        .requestMatchers(path.matcher(base + "/**")).authenticated()
                        .requestMatchers(path.matcher("/admin/**")).hasAuthority("SCOPE_" + Role.ADMIN_SCOPE)
                        // Why: an investigator reaches one newborn's trail only through a re-identification.
                        .requestMatchers(path.matcher(HttpMethod.POST, "/audit/newborn-trail/by-pseudonym"))
                        .hasAuthority("SCOPE_" + Role.REIDENTIFY_SCOPE)
                        .requestMatchers(path.matcher("/audit/**")).hasAuthority("SCOPE_" + Role.AUDIT_SCOPE)
                        .requestMatchers(path.matcher("/actuator/metrics"), path.matcher("/actuator/metrics/**"),
                                path.matcher("/actuator/prometheus")).hasAuthority("SCOPE_" + Role.METRICS_SCOPE)
                        .anyRequest().denyAll())
                .oauth2ResourceServer(oauth -> oauth.jwt(jwt -> { })
                        .authenticationEntryPoint(denials).accessDeniedHandler(denials))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(denials).accessDeniedHandler(denials));
        return http.build();
    }

    /** The claims every token must carry, whatever issues it (Spring Boot adds this to the decoder it builds). */
    @Bean
    OAuth2TokenValidator<Jwt> registryTokenClaims() {
        return RegistryTokenClaims.validator();
    }

    /** The development issuer, when no issuer is configured: the default run's tokens and the console's development sign-in. */
    @Bean
    @Conditional(NoIssuerConfigured.class)
    DevelopmentIssuer developmentIssuer(SecurityProperties properties) {
        return DevelopmentIssuer.loadOrCreate(Path.of(properties.devKeyFile()));
    }

    /** The development issuer's decoder, when no issuer is configured; writes a token per role. */
    @Bean
    @Conditional(NoIssuerConfigured.class)
    JwtDecoder developmentJwtDecoder(DevelopmentIssuer issuer, SecurityProperties properties) {
        Path directory = Path.of(properties.devTokensDir());
        try {
            Files.createDirectories(directory);
            for (Role role : Role.values()) {
                Path file = directory.resolve(role.id() + ".jwt");
                Files.writeString(file, issuer.mint(role, role == Role.HOSPITAL ? properties.devHospitalOrganization() : null,
                        properties.devTokenValidity()) + "\n", StandardCharsets.US_ASCII);
                DevelopmentIssuer.ownerOnly(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the development tokens to " + directory, e);
        }
        LOG.warn("Development token issuer in use: tokens per role in {} (valid {}). Not for production.",
                directory, properties.devTokenValidity());
        return issuer.decoder();
    }

    /** Neither an issuer URI nor a JWK set URI is configured. */
    static final class NoIssuerConfigured extends NoneNestedConditions {
        NoIssuerConfigured() {
            super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri")
        static final class IssuerUri {
        }

        @ConditionalOnProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri")
        static final class JwkSetUri {
        }
    }
}

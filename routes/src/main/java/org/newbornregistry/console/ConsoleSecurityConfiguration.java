package org.newbornregistry.console;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * Browser sign-in for the console, apart from the APIs' bearer-token chain: a session with CSRF
 * protection. The user signs in through OpenID Connect when a client registration is configured
 * ({@code spring.security.oauth2.client.registration.*}), else — in the default run only, where the
 * development issuer exists — by choosing a role ({@link DevelopmentSignInController}). Pages need a
 * signed-in user and nothing more: what each may see is for the API to decide.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurityConfiguration {

    static final String SIGN_IN = "/console/sign-in";

    @Bean
    SecurityContextRepository consoleSecurityContextRepository() {
        return new HttpSessionSecurityContextRepository();
    }

    @Bean
    @Order(1)
    SecurityFilterChain consoleSecurity(HttpSecurity http, SecurityContextRepository consoleSecurityContextRepository,
                                        ObjectProvider<ClientRegistrationRepository> clients) throws Exception {
        // Why explicit path matchers: with HAPI's servlet beside Spring MVC's, plain strings are ambiguous to Spring Security.
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(new OrRequestMatcher(path.matcher("/console"), path.matcher("/console/**"), path.matcher("/webjars/**"),
                        path.matcher("/oauth2/**"), path.matcher("/login/oauth2/**")))
                .securityContext(context -> context.securityContextRepository(consoleSecurityContextRepository))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(path.matcher(SIGN_IN), path.matcher("/console/assets/**"), path.matcher("/webjars/**")).permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint(SIGN_IN)))
                .logout(logout -> logout.logoutRequestMatcher(path.matcher(HttpMethod.POST, "/console/sign-out"))
                        .logoutSuccessUrl(SIGN_IN + "?signed-out"))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        if (clients.getIfAvailable() != null) {
            http.oauth2Login(login -> login.loginPage(SIGN_IN).defaultSuccessUrl("/console/overview", false));
        }
        return http.build();
    }
}

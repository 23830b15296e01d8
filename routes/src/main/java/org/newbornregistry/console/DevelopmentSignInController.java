package org.newbornregistry.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.newbornregistry.fhir.security.DevelopmentIssuer;
import org.newbornregistry.fhir.security.Role;
import org.newbornregistry.fhir.security.SecurityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The console's sign-in page. With OpenID Connect configured it offers the provider; in the
 * default run (development issuer, no OIDC) it lets the user choose a role, mints that role's
 * development token — the same token {@code token ROLE} prints — and signs the session in with
 * it, so every page then meets the API exactly as that role would. The production profile cannot
 * have the development issuer ({@code ProductionGuards}), so this choice never exists there.
 */
@Controller
public class DevelopmentSignInController {

    private static final Logger LOG = LoggerFactory.getLogger(DevelopmentSignInController.class);
    private static final Duration SESSION_TOKEN_VALIDITY = Duration.ofHours(8);

    private final ObjectProvider<DevelopmentIssuer> issuer;
    private final ObjectProvider<ClientRegistrationRepository> clients;
    private final JwtDecoder decoder;
    private final SecurityContextRepository contexts;
    private final SecurityProperties properties;

    public DevelopmentSignInController(ObjectProvider<DevelopmentIssuer> issuer, ObjectProvider<ClientRegistrationRepository> clients,
                                       JwtDecoder decoder, SecurityContextRepository consoleSecurityContextRepository,
                                       SecurityProperties properties) {
        this.issuer = issuer;
        this.clients = clients;
        this.decoder = decoder;
        this.contexts = consoleSecurityContextRepository;
        this.properties = properties;
    }

    @GetMapping(ConsoleSecurityConfiguration.SIGN_IN)
    public String signIn(Model model) {
        model.addAttribute("roles", issuer.getIfAvailable() == null ? List.of() : Arrays.stream(Role.values()).map(Role::id).toList());
        model.addAttribute("providers", providers());
        return "console/sign-in";
    }

    @PostMapping(ConsoleSecurityConfiguration.SIGN_IN)
    public String signIn(@RequestParam("role") String roleId, HttpServletRequest request, HttpServletResponse response) {
        DevelopmentIssuer development = issuer.getIfAvailable();
        if (development == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "development sign-in is off: an issuer is configured");
        }
        Role role;
        try {
            role = Role.of(roleId);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "no such role");
        }
        String token = development.mint(role.id() + "@console", role.scope(),
                role == Role.HOSPITAL ? properties.devHospitalOrganization() : null, SESSION_TOKEN_VALIDITY);
        request.getSession(true);
        request.changeSessionId();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(SignedInToken.of(decoder.decode(token)));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        LOG.info("Console development sign-in as {}", role.id());
        return "redirect:" + ConsoleNavigation.landing(role);
    }

    private List<ClientRegistration> providers() {
        List<ClientRegistration> registrations = new ArrayList<>();
        if (clients.getIfAvailable() instanceof Iterable<?> all) {
            all.forEach(r -> registrations.add((ClientRegistration) r));
        }
        return registrations;
    }
}

package org.newbornregistry.fhir.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The claims of the current request's bearer token that the registry acts on. Spring Security
 * validated the token before any of them is read; without a token there are none.
 */
public final class TokenClaims {

    /** The claim naming the organisation a hospital's token speaks for. */
    public static final String ORGANIZATION = "organization";

    private TokenClaims() {
    }

    /** The token's scopes; empty without a token. */
    public static Set<String> scopes() {
        return claim("scope").map(scope -> Arrays.stream(scope.trim().split("\\s+")).collect(Collectors.toSet()))
                .orElse(Set.of());
    }

    /** Whether the token carries {@code scope}. */
    public static boolean hasScope(String scope) {
        return scopes().contains(scope);
    }

    /** The organisation the token speaks for (a hospital's), if it names one. */
    public static Optional<String> organization() {
        return claim(ORGANIZATION).filter(organisation -> !organisation.isBlank());
    }

    /** The OAuth client the token was issued to: {@code client_id} (RFC 9068), else {@code azp} (OpenID Connect). */
    public static Optional<String> clientId() {
        return claim("client_id").or(() -> claim("azp")).filter(client -> !client.isBlank());
    }

    private static Optional<String> claim(String name) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken jwt) {
            return Optional.ofNullable(jwt.getToken().getClaimAsString(name));
        }
        return Optional.empty();
    }
}

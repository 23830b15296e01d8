package org.newbornregistry.fhir.security;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;

import java.util.Objects;

/**
 * What the registry requires of a bearer token beyond a valid signature, issuer and times, added
 * to every decoder (Spring Boot adds an {@code OAuth2TokenValidator<Jwt>} bean to the decoders it
 * builds from an issuer or key set URI; the development issuer adds it itself):
 * <ul>
 *   <li>an expiry ({@code exp}): Spring's timestamp check passes a token that has none, which
 *       would be valid forever;</li>
 *   <li>an {@code organization} claim, when present, that names one: an empty one would make a
 *       hospital's token unconfined, as a lab's is.</li>
 * </ul>
 */
public final class RegistryTokenClaims {

    private RegistryTokenClaims() {
    }

    /** The validator of these claims. */
    public static OAuth2TokenValidator<Jwt> validator() {
        return new DelegatingOAuth2TokenValidator<>(
                new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull),
                new JwtClaimValidator<Object>(TokenClaims.ORGANIZATION,
                        organization -> organization == null || organization instanceof String name && !name.isBlank()));
    }
}

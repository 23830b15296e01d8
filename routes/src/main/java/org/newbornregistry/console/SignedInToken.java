package org.newbornregistry.console;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

import java.io.Serial;

/**
 * A console session signed in with a bearer token (the development sign-in): the token's subject
 * and scopes, and the token itself for the API calls. Why not Spring's JwtAuthenticationToken: it
 * is {@code @Transient}, made for stateless APIs, so the session repository would not keep it.
 */
public final class SignedInToken extends AbstractAuthenticationToken {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String subject;
    private final String token;

    private SignedInToken(String subject, String token, AbstractAuthenticationToken verified) {
        super(verified.getAuthorities());
        this.subject = subject;
        this.token = token;
        setAuthenticated(true);
    }

    /** The session of a token the registry's decoder verified; authorities as the APIs derive them (SCOPE_...). */
    static SignedInToken of(Jwt verified) {
        return new SignedInToken(verified.getSubject(), verified.getTokenValue(), new JwtAuthenticationConverter().convert(verified));
    }

    /** The bearer token to present to the APIs. */
    String token() {
        return token;
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return subject;
    }

    @Override
    public void eraseCredentials() {
        // Why nothing: the token is what the console calls the APIs with for the whole session.
    }
}

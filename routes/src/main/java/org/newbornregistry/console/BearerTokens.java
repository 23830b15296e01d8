package org.newbornregistry.console;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * The bearer token the console presents to the APIs for the signed-in user: the development
 * sign-in's token, or the access token the OpenID Connect provider issued at sign-in.
 */
@Component
public class BearerTokens {

    private final ObjectProvider<OAuth2AuthorizedClientRepository> authorizedClients;

    public BearerTokens(ObjectProvider<OAuth2AuthorizedClientRepository> authorizedClients) {
        this.authorizedClients = authorizedClients;
    }

    /** The user's token, empty when the session holds none (signed out, or the provider's token is gone). */
    public Optional<String> of(Authentication user, HttpServletRequest request) {
        if (user instanceof SignedInToken signedIn) {
            return Optional.of(signedIn.token());
        }
        if (user instanceof OAuth2AuthenticationToken oidc && authorizedClients.getIfAvailable() != null) {
            OAuth2AuthorizedClient client = authorizedClients.getIfAvailable()
                    .loadAuthorizedClient(oidc.getAuthorizedClientRegistrationId(), oidc, request);
            return Optional.ofNullable(client).map(c -> c.getAccessToken().getTokenValue());
        }
        return Optional.empty();
    }
}

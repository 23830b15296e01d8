package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import org.newbornregistry.fhir.security.DevelopmentIssuer;
import org.newbornregistry.fhir.security.Role;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * Tokens for tests, signed with the development issuer key the build points the application at
 * ({@code nbr.security.dev-key-file}, set by the parent pom), and clients that send them.
 */
public final class TestTokens {

    /** Every scope of every role: what the tests that are not about authorisation run with. */
    public static final String ALL_SCOPES = Arrays.stream(Role.values()).map(Role::scope)
            .collect(Collectors.joining(" ")) + " system/*.cruds";

    private TestTokens() {
    }

    /** The issuer of the application under test. */
    public static DevelopmentIssuer issuer() {
        return DevelopmentIssuer.loadOrCreate(keyFile());
    }

    /** The development issuer key file of the build. */
    public static Path keyFile() {
        return Path.of(System.getProperty("nbr.security.dev-key-file", "target/dev-issuer.key"));
    }

    /** A token with every scope and no organisation, so confined to no organisation's records. */
    public static String all() {
        return issuer().mint("test-client", ALL_SCOPES, null, Duration.ofHours(1));
    }

    /** A token for {@code role}. */
    public static String of(Role role) {
        return issuer().mint(role.id() + "-test", role.scope(), role == Role.HOSPITAL ? "test-hospital" : null, Duration.ofHours(1));
    }

    /** {@code client}, sending a token with every scope. */
    public static IGenericClient authorised(IGenericClient client) {
        return authorised(client, all());
    }

    /** {@code client}, sending {@code token}. */
    public static IGenericClient authorised(IGenericClient client, String token) {
        client.registerInterceptor(new BearerTokenAuthInterceptor(token));
        return client;
    }

    /** An HTTP client that adds a token with every scope to each request that has no Authorization header. */
    public static HttpClient http() {
        return http(all());
    }

    /** An HTTP client that adds {@code token} to each request that has no Authorization header. */
    public static HttpClient http(String token) {
        return new Authorising(HttpClient.newHttpClient(), token);
    }

    /** Adds the header and delegates; java.net.http has no interceptors. */
    private static final class Authorising extends HttpClient {
        private final HttpClient delegate;
        private final String token;

        Authorising(HttpClient delegate, String token) {
            this.delegate = delegate;
            this.token = token;
        }

        private HttpRequest authorise(HttpRequest request) {
            if (request.headers().firstValue("Authorization").isPresent()) {
                return request;
            }
            return HttpRequest.newBuilder(request, (name, value) -> true).header("Authorization", "Bearer " + token).build();
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            return delegate.send(authorise(request), handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            return delegate.sendAsync(authorise(request), handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                                HttpResponse.PushPromiseHandler<T> push) {
            return delegate.sendAsync(authorise(request), handler, push);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return delegate.cookieHandler();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return delegate.connectTimeout();
        }

        @Override
        public Redirect followRedirects() {
            return delegate.followRedirects();
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return delegate.proxy();
        }

        @Override
        public SSLContext sslContext() {
            return delegate.sslContext();
        }

        @Override
        public SSLParameters sslParameters() {
            return delegate.sslParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return delegate.authenticator();
        }

        @Override
        public Version version() {
            return delegate.version();
        }

        @Override
        public Optional<Executor> executor() {
            return delegate.executor();
        }
    }
}

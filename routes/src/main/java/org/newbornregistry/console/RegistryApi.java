package org.newbornregistry.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.env.Environment;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The adapter's own HTTP APIs, called over the loopback interface with the signed-in user's
 * bearer token: the console sees exactly what the API lets that user see, and each call is
 * audited like any other. A refusal comes back as {@link ApiRefusedException}.
 */
@Component
public class RegistryApi {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Environment environment;
    private final BearerTokens tokens;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public RegistryApi(Environment environment, BearerTokens tokens, ObjectMapper json) {
        this.environment = environment;
        this.tokens = tokens;
        this.json = json;
    }

    /** A response the API gave: status, body and the next-page link if it sent one. */
    public record Answer(int status, String body, Optional<String> next) {
    }

    /** GETs {@code path} with {@code query} (null values left out) and reads the JSON answer. */
    public JsonNode getJson(HttpServletRequest request, String path, Map<String, String> query) {
        return json(get(request, path, query, "application/json"));
    }

    /** The answer's body read as JSON. */
    public JsonNode json(Answer answer) {
        return read(answer.body());
    }

    /**
     * The console URL of the page an API's next-page link names: the current page with its
     * filters, and the API's cursor in the parameter both call {@code cursorParameter}.
     */
    public static String nextPage(HttpServletRequest request, String apiLink, String cursorParameter) {
        String cursor = UriComponentsBuilder.fromUriString(apiLink).build().getQueryParams().getFirst(cursorParameter);
        return UriComponentsBuilder.fromPath(request.getRequestURI()).query(request.getQueryString())
                .replaceQueryParam(cursorParameter, cursor).build().toUriString();
    }

    /** GETs {@code path} with {@code query}; any status other than 2xx is thrown as {@link ApiRefusedException}. */
    public Answer get(HttpServletRequest request, String path, Map<String, String> query, String accept) {
        return send(request, HttpRequest.newBuilder(uri(path, query)).header("Accept", accept).GET());
    }

    /** GETs an absolute next-page link the API sent, on this adapter only. */
    public Answer follow(HttpServletRequest request, String next, String accept) {
        URI link = URI.create(next);
        return send(request, HttpRequest.newBuilder(base().resolve(link.getRawPath() + (link.getRawQuery() == null ? "" : "?" + link.getRawQuery())))
                .header("Accept", accept).GET());
    }

    /** POSTs to {@code path} without a body and reads the JSON answer. */
    public JsonNode postJson(HttpServletRequest request, String path) {
        return read(send(request, HttpRequest.newBuilder(uri(path, Map.of())).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody())).body());
    }

    /** POSTs {@code text} as text/plain to {@code path} and reads the JSON answer. */
    public JsonNode postText(HttpServletRequest request, String path, String text) {
        return read(send(request, HttpRequest.newBuilder(uri(path, Map.of())).header("Accept", "application/json")
                .header("Content-Type", "text/plain;charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString(text))).body());
    }

    /** POSTs {@code body} as JSON to {@code path} and reads the JSON answer. */
    public JsonNode postJson(HttpServletRequest request, String path, Object body) {
        String content;
        try {
            content = json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the request body could not be written as JSON", e);
        }
        return read(send(request, HttpRequest.newBuilder(uri(path, Map.of())).header("Accept", "application/json")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(content))).body());
    }

    private Answer send(HttpServletRequest request, HttpRequest.Builder builder) {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        String token = tokens.of(user, request).orElseThrow(() -> new ApiRefusedException(401, "the session holds no token; sign in again"));
        try {
            // Why: the API audits the browser's address, not the console's loopback one (server.tomcat.remoteip).
            HttpResponse<String> response = http.send(builder.timeout(TIMEOUT).header("Authorization", "Bearer " + token)
                            .header("X-Forwarded-For", request.getRemoteAddr()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new ApiRefusedException(response.statusCode(), reason(response.body()));
            }
            Optional<String> next = response.headers().firstValue("Link")
                    .filter(link -> link.contains("rel=\"next\"")).map(link -> link.substring(link.indexOf('<') + 1, link.indexOf('>')));
            return new Answer(response.statusCode(), response.body(), next);
        } catch (IOException e) {
            throw new UncheckedIOException("the adapter's API did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the adapter's API", e);
        }
    }

    /**
     * Why the values go in as template variables: then every character that is not unreserved is encoded,
     * {@code +} included, which the API would otherwise read as a space (an identifier {@code A+1}).
     */
    private URI uri(String path, Map<String, String> query) {
        UriComponentsBuilder builder = UriComponentsBuilder.fromUri(base()).path(path);
        Map<String, String> values = new LinkedHashMap<>();
        query.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                String variable = "v" + values.size();
                builder.queryParam(name, "{" + variable + "}");
                values.put(variable, value);
            }
        });
        return builder.encode().buildAndExpand(values).toUri();
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + environment.getRequiredProperty("local.server.port"));
    }

    /** The explanation an OperationOutcome or problem detail gives, else the status alone. */
    private String reason(String body) {
        try {
            JsonNode answer = json.readTree(body);
            if (answer.has("issue")) {
                return answer.path("issue").path(0).path("diagnostics").asText(null);
            }
            return answer.path("detail").asText(answer.path("title").asText(null));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the adapter's API answered something other than JSON", e);
        }
    }
}

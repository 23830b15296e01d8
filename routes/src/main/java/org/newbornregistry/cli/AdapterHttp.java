package org.newbornregistry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.newbornregistry.fhir.security.Role;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The options of the commands that call the adapter's HTTP API, where it is and the bearer token to
 * send, and the call itself. The token is {@code --token}'s, else read from {@code --token-file}, else
 * the environment variable {@code NBR_TOKEN}, else the default run's development token of the
 * command's role, {@code ./data/dev-tokens/<role>.jwt}, if that file exists (without a token the
 * adapter answers 401). Errors name the URL and the HTTP status, never the token.
 */
public final class AdapterHttp {

    /** Where the default run writes a development token per role. */
    static final Path DEV_TOKENS = Path.of("data", "dev-tokens");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    // Why the negative orders: picocli lists options (and, with sortSynopsis off, the synopsis) by order, -1 when unset;
    // the options every HTTP command shares come first.
    @Option(names = "--url", paramLabel = "BASE", defaultValue = "http://localhost:8080", converter = BaseUrl.class,
            order = -4, description = {"the adapter's HTTP base URL", "default: ${DEFAULT-VALUE}"})
    String url;

    @ArgGroup(exclusive = true, order = -3)
    Token token;

    /** {@code --token} or {@code --token-file}, not both. */
    static final class Token {

        @Option(names = "--token", paramLabel = "TOKEN", order = -3, description = "the bearer token itself (others on this machine may"
                + " see it in the process list: prefer --token-file or the environment variable NBR_TOKEN)")
        String value;

        @Option(names = "--token-file", paramLabel = "FILE", converter = ExistingPath.class, order = -2, description = "a file holding"
                + " the bearer token. Without --token or --token-file: the environment variable NBR_TOKEN if set, else the"
                + " development token the description above names")
        Path file;
    }

    /** POSTs to {@code path} (and query) with the token for {@code role}, and returns the answer, whatever its status. */
    HttpResponse<String> post(String path, Role role, Duration timeout) throws IOException, InterruptedException {
        return post(path, role, timeout, null);
    }

    /** POSTs {@code text} (text/plain), or nothing when it is null. */
    HttpResponse<String> post(String path, Role role, Duration timeout, String text) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(timeout)
                .POST(text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
        if (text != null) {
            request.header("Content-Type", "text/plain;charset=UTF-8");
        }
        String bearer = bearer(role);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("could not reach the adapter at " + url + " (" + NbrCli.reason(e) + ")", e);
        }
    }

    /**
     * The exception for an answer the command cannot use: a 400 says the adapter refused the
     * parameters the command line gave (a usage error), any other status is an error talking to it.
     */
    Exception refused(HttpResponse<String> response) {
        String problem = problem(response.body());
        String message = "the adapter at " + url + " answered HTTP " + response.statusCode() + (problem.isEmpty() ? "" : ": " + problem);
        return response.statusCode() == 400 ? new CommandLine.ParameterException(command.commandLine(), message) : new IOException(message);
    }

    /** The {@code detail} (else {@code title}) of an RFC 9457 problem, or "" for a body that is none. */
    static String problem(String body) {
        JsonNode problem = json(body);
        return problem.path("detail").asText(problem.path("title").asText(""));
    }

    /** {@code body} as JSON, or a missing node when it is none (an empty body, a proxy's HTML page). */
    static JsonNode json(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private String bearer(Role role) throws IOException {
        if (token != null && token.value != null) {
            return token.value.trim();
        }
        Path file = token == null ? null : token.file;
        if (file == null) {
            String environment = System.getenv("NBR_TOKEN");
            if (environment != null && !environment.isBlank()) {
                return environment.trim();
            }
            file = DEV_TOKENS.resolve(role.id() + ".jwt");
            if (!Files.exists(file)) {
                return null;
            }
        }
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }

    /** Reads {@code --url}: an http or https URL with a host; trailing slashes are dropped. */
    static final class BaseUrl implements CommandLine.ITypeConverter<String> {

        @Override
        public String convert(String value) {
            try {
                URI uri = new URI(value);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return value.replaceAll("/+$", "");
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not an http:// or https:// URL with a host");
        }
    }
}

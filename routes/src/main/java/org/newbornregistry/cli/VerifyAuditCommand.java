package org.newbornregistry.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code java -jar nbr-adapter.jar verify-audit [--token FILE] [BASE-URL]}: asks a running adapter (default
 * http://localhost:8080) to recompute its audit log from the database against the last signed
 * checkpoint, and prints what it found: the checkpoint's size and, when something does not match,
 * the first leaf and AuditEvent that does not, and why. Exit code 0 when verified, 1 when not,
 * 2 when the adapter cannot be asked. The bearer token (an auditor's or admin's) is read from
 * {@code FILE}, else from the environment variable {@code NBR_TOKEN}, else from the default run's
 * {@code ./data/dev-tokens/auditor.jwt}.
 */
public final class VerifyAuditCommand {

    private VerifyAuditCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path tokenFile = Path.of("data", "dev-tokens", "auditor.jwt");
        String token = System.getenv("NBR_TOKEN");
        String base = "http://localhost:8080";
        int positional = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--token") && i + 1 < args.length) {
                tokenFile = Path.of(args[++i]);
                token = null;
            } else if (positional++ == 0 && !args[i].startsWith("--")) {
                base = args[i].replaceAll("/+$", "");
            } else {
                err.println("usage: java -jar nbr-adapter.jar verify-audit [--token FILE] [BASE-URL]   (default http://localhost:8080)");
                return 2;
            }
        }
        try {
            if (token == null && Files.exists(tokenFile)) {
                token = Files.readString(tokenFile, StandardCharsets.US_ASCII).trim();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/audit/log/verify"));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(
                    request.timeout(Duration.ofMinutes(10))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                err.println("verify-audit: the adapter answered HTTP " + response.statusCode());
                return 2;
            }
            out.println(response.body());
            return response.body().contains("\"verified\":true") ? 0 : 1;
        } catch (IOException | IllegalArgumentException e) {
            err.println("verify-audit failed: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
    }
}

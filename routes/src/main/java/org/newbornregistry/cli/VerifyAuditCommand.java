package org.newbornregistry.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code java -jar nbr-adapter.jar verify-audit [BASE-URL]}: asks a running adapter (default
 * http://localhost:8080) to recompute its audit log from the database against the last signed
 * checkpoint, and prints what it found: the checkpoint's size and, when something does not match,
 * the first leaf and AuditEvent that does not, and why. Exit code 0 when verified, 1 when not,
 * 2 when the adapter cannot be asked.
 */
public final class VerifyAuditCommand {

    private VerifyAuditCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 1) {
            err.println("usage: java -jar nbr-adapter.jar verify-audit [BASE-URL]   (default http://localhost:8080)");
            return 2;
        }
        String base = (args.length == 1 ? args[0] : "http://localhost:8080").replaceAll("/+$", "");
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(
                    HttpRequest.newBuilder(URI.create(base + "/audit/log/verify")).timeout(Duration.ofMinutes(10))
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

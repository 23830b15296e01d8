package org.newbornregistry.cli;

import org.newbornregistry.fhir.security.DevelopmentIssuer;
import org.newbornregistry.fhir.security.Role;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * {@code java -jar nbr-adapter.jar token ROLE [--organization ORG] [--days N] [--key-file FILE]}:
 * prints a bearer token for ROLE (hospital, lab, auditor, investigator, admin) signed with the
 * development issuer's key (default ./data/dev-issuer.key, created by the adapter's first start).
 * Development only: a production adapter validates tokens from its configured issuer. Exit code 0
 * when printed, 2 on a usage error or a missing key.
 */
public final class TokenCommand {

    private static final String USAGE = "usage: java -jar nbr-adapter.jar token ROLE [--organization ORG] [--days N]"
            + " [--key-file FILE]   (ROLE: " + String.join(", ", Arrays.stream(Role.values()).map(Role::id).toList()) + ")";

    private TokenCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        Role role;
        try {
            role = Role.of(args[0]);
        } catch (IllegalArgumentException e) {
            err.println(USAGE);
            return 2;
        }
        String organization = role == Role.HOSPITAL ? DevelopmentIssuer.SAMPLE_HOSPITAL : null;
        int days = 30;
        Path keyFile = Path.of("data", "dev-issuer.key");
        try {
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--organization" -> organization = args[++i];
                    case "--days" -> days = Integer.parseInt(args[++i]);
                    case "--key-file" -> keyFile = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            err.println(USAGE);
            return 2;
        }
        if (days < 1 || !Files.exists(keyFile)) {
            err.println(days < 1 ? USAGE : "token: no development issuer key at " + keyFile + "; start the adapter once first");
            return 2;
        }
        try {
            out.println(DevelopmentIssuer.load(keyFile).mint(role, organization, Duration.ofDays(days)));
            return 0;
        } catch (UncheckedIOException | IllegalStateException e) {
            err.println("token failed: " + e.getMessage());
            return 2;
        }
    }
}

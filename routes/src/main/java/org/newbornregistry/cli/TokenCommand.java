package org.newbornregistry.cli;

import org.newbornregistry.fhir.security.DevelopmentIssuer;
import org.newbornregistry.fhir.security.Role;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.Callable;

/**
 * {@code nbr-adapter token ROLE [--organization ORG] [--days N] [--key-file FILE]}: prints a bearer
 * token for ROLE signed with the development issuer's key (default ./data/dev-issuer.key, created by
 * the adapter's first start). Development only: a production adapter validates tokens from its
 * configured issuer. Needs no running adapter.
 */
@Command(name = "token",
        description = {"Prints a development bearer token for ROLE, signed with the development issuer's key that the"
                + " adapter's first start writes. Development only: in production the identity provider issues tokens."})
public final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ROLE", converter = RoleNames.class, completionCandidates = RoleNames.class,
            description = "the role whose scopes the token carries: ${COMPLETION-CANDIDATES}")
    Role role;

    @Option(names = "--organization", paramLabel = "ORG", description = {"the token's organization claim, which confines a"
            + " hospital to its own records", "default: " + DevelopmentIssuer.SAMPLE_HOSPITAL + " (the samples' GENERAL HOSPITAL)"
            + " for hospital, none for the other roles"})
    String organization;

    @Option(names = "--days", paramLabel = "N", defaultValue = "30", description = {"days the token is valid, at least 1",
            "default: ${DEFAULT-VALUE}"})
    int days;

    @Option(names = "--key-file", paramLabel = "FILE", defaultValue = "data/dev-issuer.key",
            description = {"the development issuer's key pair", "default: ./${DEFAULT-VALUE}"})
    Path keyFile;

    @Override
    public Integer call() {
        if (days < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--days must be at least 1");
        }
        if (!Files.exists(keyFile)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "no development issuer key at " + keyFile + "; start the adapter once first");
        }
        String claim = organization == null && role == Role.HOSPITAL ? DevelopmentIssuer.SAMPLE_HOSPITAL : organization;
        PrintWriter out = spec.commandLine().getOut();
        out.println(DevelopmentIssuer.load(keyFile).mint(role, claim, Duration.ofDays(days)));
        out.flush();
        return ExitCode.DONE.code();
    }

    /** The roles by the names files and command lines use ({@link Role#id()}): what ROLE accepts and its help lists. */
    static final class RoleNames implements CommandLine.ITypeConverter<Role>, Iterable<String> {

        @Override
        public Role convert(String value) {
            try {
                return Role.of(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a role; one of " + String.join(", ", this));
            }
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Role.values()).map(Role::id).iterator();
        }
    }
}

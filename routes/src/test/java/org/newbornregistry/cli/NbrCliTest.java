package org.newbornregistry.cli;

import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar's command line without an adapter: which arguments it takes from Spring, the help of every
 * command, the version, usage errors (exit 2) and an adapter that cannot be reached (exit 3). What
 * the commands do against a running adapter is tested in {@code MllpInboundIT} and {@code PackagedJarIT}.
 */
class NbrCliTest {

    @TempDir
    static Path directory;
    private static Path message;
    private static final int CLOSED_PORT = AvailablePortFinder.getNextAvailable();

    @BeforeAll
    static void message() throws IOException {
        message = Files.writeString(directory.resolve("message.hl7"), "MSH|^~\\&|A|B|C|D|20240501||ADT^A01|X|P|2.5.1\n");
    }

    @Test
    void shouldHandEverythingButACommandToSpring() {
        // when / then
        assertThat(NbrCli.isCommand(new String[0])).isFalse();
        assertThat(NbrCli.isCommand(new String[] {"--server.port=9090"})).isFalse();
        assertThat(NbrCli.isCommand(new String[] {"--spring.profiles.active=production", "send"})).isFalse();
        assertThat(NbrCli.isCommand(new String[] {"--debug"})).isFalse();
        for (String first : List.of("send", "import", "replay", "verify-audit", "token", "--help", "-h", "--version", "-V")) {
            assertThat(NbrCli.isCommand(new String[] {first, "x"})).as(first).isTrue();
        }
    }

    static Stream<String> commands() {
        return NbrCli.commandLine().getSubcommands().keySet().stream();
    }

    @Test
    void shouldOfferTheFiveCommands() {
        assertThat(commands()).containsExactlyInAnyOrder("send", "import", "replay", "verify-audit", "token");
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("commands")
    void shouldDescribeEveryOptionAndParameterAndTheExitCodesInTheHelpOfEachCommand(String command) {
        // given
        CommandSpec spec = NbrCli.commandLine().getSubcommands().get(command).getCommandSpec();

        // when
        CliRun run = CliRun.of(command, "--help");

        // then
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("Usage: nbr-adapter " + command);
        assertThat(run.err()).isEmpty();
        for (OptionSpec option : spec.options()) {
            assertThat(run.out()).contains(option.longestName());
            assertThat(String.join(" ", option.description())).as(option.longestName()).isNotBlank();
        }
        for (PositionalParamSpec parameter : spec.positionalParameters()) {
            assertThat(run.out()).contains(parameter.paramLabel());
            assertThat(String.join(" ", parameter.description())).as(parameter.paramLabel()).isNotBlank();
        }
        assertListsTheExitCodes(run.out());
    }

    @Test
    void shouldListTheCommandsAndTheExitCodesInTheTopLevelHelp() {
        // when
        CliRun run = CliRun.of("--help");

        // then
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("Usage: nbr-adapter").contains("send", "import", "replay", "verify-audit", "token",
                "starts the adapter");
        assertListsTheExitCodes(run.out());
    }

    @Test
    void shouldPrintTheProjectVersionFromTheBuild() {
        // when
        CliRun run = CliRun.of("--version");

        // then
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out().trim()).matches("nbr-adapter \\d+\\.\\d+\\.\\d+\\S*");
    }

    static Stream<List<String>> usageErrors() {
        String file = message.toString();
        return Stream.of(
                List.of("send"),
                List.of("send", directory.resolve("absent.hl7").toString()),
                List.of("send", directory.toString()),
                List.of("send", "--to", "localhost:port", file),
                List.of("send", "--to", "localhost:70000", file),
                List.of("send", "--bogus", file),
                List.of("send", file, "localhost:2575"),
                List.of("import"),
                List.of("import", "--connections", "0", file),
                List.of("import", "--connections", "four", file),
                List.of("import", directory.resolve("absent").toString()),
                List.of("replay"),
                List.of("replay", "1", "--status", "REJECTED"),
                List.of("replay", "0"),
                List.of("replay", "one"),
                List.of("replay", "--limit", "5", "1"),
                List.of("verify-audit", "--token", "x", "--token-file", file),
                List.of("verify-audit", "--token-file", directory.resolve("absent.jwt").toString()),
                List.of("verify-audit", "--url", "ftp://localhost"),
                List.of("verify-audit", "http://localhost:8080"),
                List.of("token"),
                List.of("token", "lab", "--days", "0"),
                List.of("no-such-command"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void shouldExitWithTwoAndTheUsageOnAUsageError(List<String> args) {
        // when
        CliRun run = CliRun.of(args.toArray(String[]::new));

        // then
        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).as(run.toString()).containsAnyOf("Usage: nbr-adapter", "Did you mean");
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"send --to localhost:PORT FILE", "verify-audit --url http://localhost:PORT",
            "replay --url http://localhost:PORT --token x 1", "replay --url http://localhost:PORT --status REJECTED"})
    void shouldExitWithThreeWhenNothingListensWhereTheAdapterShouldBe(String command) {
        // given
        String[] args = command.replace("PORT", Integer.toString(CLOSED_PORT)).replace("FILE", message.toString()).split(" ");

        // when
        CliRun run = CliRun.of(args);

        // then
        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCode.UNREACHABLE.code());
        assertThat(run.err()).as(run.toString()).startsWith(args[0] + " failed: ").contains("localhost:" + CLOSED_PORT)
                .doesNotContain("\tat ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldMapUsageErrorsToTwoAndEveryOtherFailureToThree() {
        // given
        CommandLine commandLine = NbrCli.commandLine();

        // when / then
        assertThat(ExitCode.of(new CommandLine.ParameterException(commandLine, "bad"))).isEqualTo(ExitCode.USAGE);
        assertThat(ExitCode.of(new CommandLine.UnmatchedArgumentException(commandLine, "bad"))).isEqualTo(ExitCode.USAGE);
        assertThat(ExitCode.of(new IOException("refused"))).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(ExitCode.of(new java.io.UncheckedIOException(new IOException("key")))).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(ExitCode.of(new IllegalStateException("bug"))).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(ExitCode.USAGE.code()).as("picocli's own code for invalid input").isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(ExitCode.helpList()).containsOnlyKeys("0", "1", "2", "3");
    }

    private static void assertListsTheExitCodes(String help) {
        assertThat(help).contains("Exit codes:");
        for (ExitCode exit : ExitCode.values()) {
            String start = exit.meaning().substring(0, exit.meaning().indexOf(' ', 12));
            assertThat(help).containsPattern(Pattern.compile("(?m)^\\s+" + exit.code() + "\\s+" + Pattern.quote(start)));
        }
    }
}

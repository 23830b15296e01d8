package org.newbornregistry.cli;

import org.newbornregistry.cli.backfill.ImportCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code nbr-adapter}: the command line of the application jar. Without arguments, or with Spring Boot
 * arguments ({@code --server.port=9090}), the jar starts the adapter; a first argument that names one
 * of these commands (or {@code --help}, {@code --version}) runs that command instead, without starting
 * Spring ({@link #isCommand}). Each command talks to a running adapter over its public interfaces,
 * MLLP or HTTP, except {@code token}. Exit codes: {@link ExitCode}.
 */
@Command(name = "nbr-adapter", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = NbrCli.Version.class, sortOptions = false, sortSynopsis = false, usageHelpAutoWidth = true,
        subcommands = {SendCommand.class, ImportCommand.class, ReplayCommand.class, VerifyAuditCommand.class, TokenCommand.class},
        description = {"The Newborn Registry Adapter.",
                "Without a command (java -jar nbr-adapter.jar [--spring.property=value...]) it starts the adapter;"
                        + " with one, it runs that command against a running adapter and exits."})
public final class NbrCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The command line, its exit codes mapped by {@link ExitCode} and listed in every command's help. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new NbrCli());
        commandLine.setExitCodeExceptionMapper(exception -> ExitCode.of(exception).code());
        commandLine.setExecutionExceptionHandler(NbrCli::failed);
        commandLine.getCommandSpec().exitCodeOnInvalidInput(ExitCode.USAGE.code());
        listExitCodes(commandLine);
        return commandLine;
    }

    /** Whether {@code args} are for the command line (a command's name first, or a top-level option) rather than for Spring. */
    public static boolean isCommand(String[] args) {
        if (args.length == 0) {
            return false;
        }
        CommandLine commandLine = commandLine();
        return commandLine.getSubcommands().containsKey(args[0]) || commandLine.getCommandSpec().findOption(args[0]) != null;
    }

    /** Without a command there is nothing to run: the jar starts the adapter instead of calling this. */
    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
    }

    private static void listExitCodes(CommandLine commandLine) {
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.helpList());
        commandLine.getSubcommands().values().forEach(NbrCli::listExitCodes);
    }

    /** A command ended with an exception: one line on standard error (no stack trace), and the exception's exit code. */
    private static int failed(Exception exception, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getCommandName() + " failed: " + reason(exception));
        err.flush();
        return ExitCode.of(exception).code();
    }

    /** The first message in the cause chain of {@code exception} (the JDK's HTTP client throws some without one), else its class. */
    static String reason(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                return cause.getMessage();
            }
        }
        return exception.getClass().getSimpleName();
    }

    /** The project version, from the build information Spring Boot's plugin writes into the jar. */
    static final class Version implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() throws IOException {
            Properties build = new Properties();
            try (InputStream in = NbrCli.class.getResourceAsStream("/META-INF/build-info.properties")) {
                if (in != null) {
                    build.load(in);
                }
            }
            return new String[] {"nbr-adapter " + build.getProperty("build.version", "(version unknown: no build information)")};
        }
    }
}

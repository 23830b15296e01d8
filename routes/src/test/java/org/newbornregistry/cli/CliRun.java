package org.newbornregistry.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of the jar's command line in the test's JVM, as {@code java -jar nbr-adapter.jar ARGS...}
 * would run it (the same picocli setup, exit-code mapping included), with what it printed.
 *
 * @param exit the exit code
 * @param out  what it printed on standard output
 * @param err  what it printed on standard error
 */
public record CliRun(int exit, String out, String err) {

    /** Runs {@code args}. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = NbrCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** What it printed, for assertion messages. */
    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}

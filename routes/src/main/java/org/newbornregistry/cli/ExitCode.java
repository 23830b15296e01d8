package org.newbornregistry.cli;

import picocli.CommandLine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of every command of {@code nbr-adapter}, the one place they are defined: each command
 * returns one of them, picocli maps its own errors and the commands' exceptions to them ({@link #of}),
 * and every {@code --help} lists them ({@link #helpList()}). A script can rely on a code meaning the
 * same whatever the command.
 */
public enum ExitCode {

    /** The command did its work, and everything was accepted or verified. */
    DONE(0, "done: every message accepted (AA), the audit log verified, every replay accepted, the token printed"),
    /** The command did its work, and the outcome is negative. */
    NEGATIVE(1, "done, but the outcome is negative: an ACK other than AA, a rejected message in an import, the audit"
            + " log not verified, a replay not accepted or its message not found"),
    /** The command line is wrong; nothing was sent. Picocli's own code for invalid input. */
    USAGE(CommandLine.ExitCode.USAGE, "usage error: an unknown option, a missing or malformed parameter, a file that"
            + " does not exist; nothing was sent"),
    /** The adapter could not be reached or talked to, or a file could not be read or written. */
    UNREACHABLE(3, "could not reach or talk to the adapter (refused, timed out, an HTTP error), or an I/O error;"
            + " run again when it is back (import resumes)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The process exit code. */
    public int code() {
        return code;
    }

    /** What the code means, as {@code --help} says it. */
    public String meaning() {
        return meaning;
    }

    /**
     * The exit code for an exception a command ended with: a {@link CommandLine.ParameterException}
     * (the command found its arguments wrong) is a usage error; anything else means the work could
     * not be done, as an I/O error.
     */
    public static ExitCode of(Throwable exception) {
        return exception instanceof CommandLine.ParameterException ? USAGE : UNREACHABLE;
    }

    /** Code to meaning, in order, for picocli's exit-code section of the usage help. */
    public static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitCode exit : values()) {
            list.put(Integer.toString(exit.code), exit.meaning);
        }
        return list;
    }
}

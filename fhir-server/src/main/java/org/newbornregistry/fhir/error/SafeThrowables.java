package org.newbornregistry.fhir.error;

/**
 * Describes an exception for the log without its messages, which for parser and database
 * errors quote the data that caused them: the exception classes of the cause chain and their
 * stack frames.
 */
public final class SafeThrowables {

    private static final int FRAMES_PER_CAUSE = 12;

    private SafeThrowables() {
    }

    /** Classes and stack frames of a cause chain, without any message. */
    public static String describe(Throwable exception) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            out.append(t == exception ? "" : " caused by ").append(t.getClass().getName());
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, FRAMES_PER_CAUSE); i++) {
                out.append("\n\tat ").append(frames[i]);
            }
        }
        return out.toString();
    }
}

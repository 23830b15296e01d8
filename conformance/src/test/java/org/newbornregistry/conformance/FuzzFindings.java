package org.newbornregistry.conformance;

/**
 * Turns an exception a fuzz test caught into the finding it reports, without the messages: a
 * message may quote the input (HAPI's parsers do), and fuzz inputs derived from the corpus hold
 * names. Classes and stack traces are kept, so the finding can be located and deduplicated;
 * the input itself is in Jazzer's crash file under {@code target/jazzer/}.
 */
public final class FuzzFindings {

    private FuzzFindings() {
    }

    /** An AssertionError saying {@code what}, with {@code caught}'s cause chain stripped of messages. */
    public static AssertionError withoutContent(String what, Throwable caught) {
        AssertionError finding = new AssertionError(what + ": " + caught.getClass().getName(), stripped(caught));
        finding.setStackTrace(new StackTraceElement[0]);
        return finding;
    }

    private static Throwable stripped(Throwable caught) {
        if (caught == null) {
            return null;
        }
        Throwable copy = new StrippedThrowable(caught.getClass().getName(), stripped(caught.getCause()));
        copy.setStackTrace(caught.getStackTrace());
        return copy;
    }

    /** A throwable standing for another, named by its class only. */
    static final class StrippedThrowable extends Throwable {
        StrippedThrowable(String className, Throwable cause) {
            super(className, cause, false, true);
        }
    }
}

package org.newbornregistry.console;

/** The adapter's API answered a console request with an error status; the console shows it with the same status. */
public class ApiRefusedException extends RuntimeException {

    private final int status;

    public ApiRefusedException(int status, String reason) {
        super(reason == null ? "the API answered " + status : reason);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

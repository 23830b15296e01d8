package org.newbornregistry.adapter.error;

import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.adapter.hl7.Hl7Problem;

/**
 * A received message cannot be mapped. It names the field and the kind of error, never the
 * field's content, so it is safe to log and to put in an ACK.
 */
public class MappingException extends RuntimeException {

    private final transient Hl7Problem problem;

    public MappingException(NbrError error, Hl7Location location, String message) {
        this(new Hl7Problem(error, location, message));
    }

    public MappingException(Hl7Problem problem) {
        super(problem.toString(), null, false, false);
        this.problem = problem;
    }

    /** The problem, as the ACK reports it. */
    public Hl7Problem problem() {
        return problem;
    }
}

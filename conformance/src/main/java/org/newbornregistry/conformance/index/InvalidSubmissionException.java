package org.newbornregistry.conformance.index;

/** A submission the index refuses, with what is wrong and where (never a genotype value). */
public final class InvalidSubmissionException extends RuntimeException {

    public InvalidSubmissionException(String message) {
        super(message);
    }
}

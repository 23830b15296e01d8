package org.newbornregistry.adapter.audit.merkle;

/**
 * A proof was rejected. Verification never answers with anything else: whatever an outside party
 * hands over (wrong sizes, missing or extra nodes, hashes of the wrong length, nulls) ends here,
 * with the {@link Reason} an auditor can act on. Checked, so that no caller can forget that a
 * proof may not hold.
 *
 * <p>Messages name sizes and indices, never hash values.
 */
public final class ProofException extends Exception {

    /** Why a proof was rejected. */
    public enum Reason {
        /** The indices or sizes do not fit together: an index not below its tree size, a first size above the second, a negative number. */
        OUT_OF_RANGE,
        /** {@code [start, end)} is not a subtree: {@code start} is not a multiple of the smallest power of two not below its size. */
        INVALID_SUBTREE,
        /** A consistency proof from the empty tree: every log extends it, so there is nothing to prove. */
        FROM_EMPTY_TREE,
        /** The proof, a node of it or a hash that must enter a node is missing or not a 32-byte hash. */
        MALFORMED,
        /** The proof has more or fewer nodes than the sizes call for. */
        WRONG_PROOF_SIZE,
        /** The proof leads to another root (or subtree hash) than the one given. */
        ROOT_MISMATCH
    }

    private final Reason reason;

    ProofException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** Why the proof was rejected. */
    public Reason reason() {
        return reason;
    }
}

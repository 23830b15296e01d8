package org.newbornregistry.adapter.audit.merkle;

/**
 * A signed note or a checkpoint was rejected: not well formed, not signed by the trusted key, a
 * signature or cosignature that does not verify, a checkpoint of another log, or an add-checkpoint
 * request that is not one. Checked, like
 * {@link ProofException}: a checkpoint that does not open must never be mistaken for one that did.
 *
 * <p>Messages never repeat the note's text.
 */
public final class NoteException extends Exception {

    /** Why a note or checkpoint was rejected. */
    public enum Reason {
        /** Not a signed note: no blank line before the signatures, a malformed signature line, a control character, bad UTF-8, too many signatures. */
        MALFORMED_NOTE,
        /** No signature by the trusted key (signatures by other keys are ignored, as c2sp.org/signed-note requires). */
        UNTRUSTED,
        /** A signature by the trusted key does not verify: the text was altered, or the signature was. */
        BAD_SIGNATURE,
        /** The signed text is not a checkpoint: missing or empty lines, a malformed tree size or root hash. */
        MALFORMED_CHECKPOINT,
        /** A checkpoint of another log than the one expected. */
        WRONG_ORIGIN,
        /** Not an add-checkpoint request (c2sp.org/tlog-witness): no old size line, no blank line before the note, not UTF-8, too long. */
        MALFORMED_REQUEST
    }

    private final Reason reason;

    NoteException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** Why the note or checkpoint was rejected. */
    public Reason reason() {
        return reason;
    }
}

package org.newbornregistry.adapter.audit.merkle;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.newbornregistry.adapter.audit.merkle.NoteException.Reason.BAD_SIGNATURE;
import static org.newbornregistry.adapter.audit.merkle.NoteException.Reason.MALFORMED_NOTE;
import static org.newbornregistry.adapter.audit.merkle.NoteException.Reason.UNTRUSTED;

/**
 * Opens signed notes (c2sp.org/signed-note) with one trusted Ed25519 key: the text is returned only
 * when the note is well formed and carries a valid signature by that key. Signatures by other keys
 * (witnesses, a rotated key) are ignored, even when they share the name or the key ID but not both,
 * as the specification requires; a signature by the trusted key that fails rejects the whole note.
 */
public final class NoteVerifier {

    /** The most signature lines accepted (the specification asks for at least 16). */
    public static final int MAX_SIGNATURES = 100;

    private final VerifierKey key;

    /** A verifier trusting {@code key}. */
    public NoteVerifier(VerifierKey key) {
        this.key = key;
    }

    /** The trusted key. */
    public VerifierKey key() {
        return key;
    }

    /**
     * The verified text of a note received as bytes, which must be UTF-8.
     *
     * @throws NoteException when it is not valid UTF-8, or as {@link #open(String)}
     */
    public String open(byte[] note) throws NoteException {
        if (note == null) {
            throw new NoteException(MALFORMED_NOTE, "the note is missing");
        }
        String text = NoteFormat.utf8(note);
        if (text == null) {
            throw new NoteException(MALFORMED_NOTE, "a note is UTF-8");
        }
        return open(text);
    }

    /**
     * The verified text of a note: everything up to and including the newline before the last blank line.
     *
     * @throws NoteException when the note is malformed ({@code MALFORMED_NOTE}), has no signature by the
     *                       trusted key ({@code UNTRUSTED}) or one that does not verify ({@code BAD_SIGNATURE})
     */
    public String open(String note) throws NoteException {
        if (note == null || !NoteFormat.isNoteText(note)) {
            throw new NoteException(MALFORMED_NOTE, "a note holds no control character but newline");
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new NoteException(MALFORMED_NOTE, "a note has a blank line before its signatures");
        }
        String text = note.substring(0, split + 1);
        String signatures = note.substring(split + 2);
        if (signatures.isEmpty() || !signatures.endsWith("\n")) {
            throw new NoteException(MALFORMED_NOTE, "a note ends with signature lines, each ending with a newline");
        }
        String[] lines = signatures.substring(0, signatures.length() - 1).split("\n", -1);
        if (lines.length > MAX_SIGNATURES) {
            throw new NoteException(MALFORMED_NOTE, "more than " + MAX_SIGNATURES + " signatures");
        }
        boolean verified = false;
        for (String line : lines) {
            NoteFormat.SignatureLine signed = NoteFormat.signatureLine(line);
            if (!signed.name().equals(key.name()) || !Arrays.equals(signed.keyId(), key.keyIdBytes())) {
                continue;
            }
            if (verified) {
                throw new NoteException(MALFORMED_NOTE, "the trusted key signed twice");
            }
            if (!Ed25519Keys.verify(key.publicKey(), text.getBytes(StandardCharsets.UTF_8), signed.signature())) {
                throw new NoteException(BAD_SIGNATURE, "the signature by " + key.name() + " does not verify");
            }
            verified = true;
        }
        if (!verified) {
            throw new NoteException(UNTRUSTED, "no signature by " + key.name());
        }
        return text;
    }
}

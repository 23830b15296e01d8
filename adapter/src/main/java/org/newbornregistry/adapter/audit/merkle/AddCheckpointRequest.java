package org.newbornregistry.adapter.audit.merkle;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.newbornregistry.adapter.audit.merkle.NoteException.Reason.MALFORMED_NOTE;
import static org.newbornregistry.adapter.audit.merkle.NoteException.Reason.MALFORMED_REQUEST;
import static org.newbornregistry.adapter.audit.merkle.ProofException.Reason.MALFORMED;
import static org.newbornregistry.adapter.audit.merkle.ProofException.Reason.OUT_OF_RANGE;
import static org.newbornregistry.adapter.audit.merkle.ProofException.Reason.WRONG_PROOF_SIZE;

/**
 * The body of a c2sp.org/tlog-witness {@code add-checkpoint} request: {@code old <size>}, the
 * consistency proof from that size to the checkpoint's, one base64 hash a line, a blank line, and
 * the signed checkpoint. The old size is the size of the checkpoint the log believes the witness
 * cosigned last, so that the witness checks the new one against what it holds, and answers with
 * its own size when the log is wrong about it.
 *
 * <p>Reading is for the witness and takes untrusted bytes: anything but a well-formed request
 * ends in a checked {@link NoteException} or {@link ProofException}, within fixed limits
 * ({@value #MAX_PROOF_HASHES} proof hashes, a note of {@value #MAX_NOTE_BYTES} bytes), so a
 * request's size is bounded before it is read. Whether the proof holds (including whether it
 * has as many hashes as the sizes call for) and whether the note's signature does is not checked
 * here but by the witness, which knows the old root and the log's key: the specification answers
 * a malformed body and a proof that fails with different statuses.
 *
 * <p>Writing ({@link #of}) is for the log and its own data, so there a proof of the wrong shape
 * is a programming error.
 */
public final class AddCheckpointRequest {

    /** The most consistency-proof lines a request carries (c2sp.org/tlog-witness). */
    public static final int MAX_PROOF_HASHES = 63;
    /** The longest signed note a request carries, in bytes: a checkpoint and up to {@link NoteVerifier#MAX_SIGNATURES} signatures fit. */
    public static final int MAX_NOTE_BYTES = 32 * 1024;
    /** The longest request body, in bytes: the old size line, the most proof lines, the blank line and the longest note. */
    public static final int MAX_BYTES = "old \n".length() + Long.toString(Long.MAX_VALUE).length()
            + MAX_PROOF_HASHES * (Base64.getEncoder().encodeToString(new byte[TreeHash.SIZE]).length() + 1) + 1 + MAX_NOTE_BYTES;

    private final long oldSize;
    private final List<byte[]> proof;
    private final String note;
    private final Checkpoint claimedCheckpoint;

    private AddCheckpointRequest(long oldSize, List<byte[]> proof, String note, Checkpoint claimedCheckpoint) {
        this.oldSize = oldSize;
        this.proof = proof;
        this.note = note;
        this.claimedCheckpoint = claimedCheckpoint;
    }

    /**
     * The request that asks a witness to cosign {@code signedNote}, a checkpoint of the log signed by it.
     *
     * @param oldSize    the size of the checkpoint the witness last cosigned, as far as the log knows; 0 for a first request
     * @param proof      the consistency proof from {@code oldSize} to the checkpoint's size, empty for 0 or the same size
     * @param signedNote the signed checkpoint, as {@link Checkpoint#sign} writes it, cosignatures allowed
     * @throws IllegalArgumentException when the request would not pass {@link #parse}: a negative or larger old size,
     *                                  a proof of the wrong shape or too long, or a note that is not a signed checkpoint
     */
    public static AddCheckpointRequest of(long oldSize, List<byte[]> proof, String signedNote) {
        if (oldSize < 0) {
            throw new IllegalArgumentException("the old size is not negative");
        }
        if (proof.stream().anyMatch(hash -> !TreeHash.isHash(hash))) {
            throw new IllegalArgumentException("proof hashes are " + TreeHash.SIZE + " bytes each");
        }
        AddCheckpointRequest request;
        try {
            request = parse(format(oldSize, proof, signedNote).getBytes(StandardCharsets.UTF_8));
        } catch (NoteException | ProofException e) {
            throw new IllegalArgumentException("not an add-checkpoint request: " + e.getMessage(), e);
        }
        long size = request.claimedCheckpoint.size();
        if ((oldSize == 0 || oldSize == size) != proof.isEmpty()) {
            throw new IllegalArgumentException(proof.isEmpty() ? "sizes " + oldSize + " and " + size + " need a consistency proof"
                    : "no consistency proof is needed from size " + oldSize + " to " + size);
        }
        return request;
    }

    /**
     * Reads a request body, as a witness receives it.
     *
     * @throws NoteException  {@code MALFORMED_REQUEST} when the body is too long, not UTF-8, or lacks the old size line
     *                        or the blank line; {@code MALFORMED_NOTE} or {@code MALFORMED_CHECKPOINT} when what follows
     *                        is not a signed note of a checkpoint (its signatures are not verified here)
     * @throws ProofException {@code MALFORMED} when a proof line is not base64 of a {@value TreeHash#SIZE}-byte hash;
     *                        {@code WRONG_PROOF_SIZE} for more than {@value #MAX_PROOF_HASHES} lines; {@code OUT_OF_RANGE}
     *                        when the old size is above the checkpoint's
     */
    public static AddCheckpointRequest parse(byte[] body) throws NoteException, ProofException {
        if (body == null || body.length > MAX_BYTES) {
            throw new NoteException(MALFORMED_REQUEST, "a request body has at most " + MAX_BYTES + " bytes");
        }
        String text = NoteFormat.utf8(body);
        if (text == null) {
            throw new NoteException(MALFORMED_REQUEST, "a request body is UTF-8");
        }
        int end = text.indexOf('\n');
        String oldLine = end < 0 ? "" : text.substring(0, end);
        if (!oldLine.matches("old (0|[1-9][0-9]{0,18})")) {
            throw new NoteException(MALFORMED_REQUEST, "a request starts with 'old', a space, a decimal size and a newline");
        }
        long oldSize;
        try {
            oldSize = Long.parseLong(oldLine.substring(4));
        } catch (NumberFormatException e) {
            throw new NoteException(MALFORMED_REQUEST, "the old size is beyond what this log can reach");
        }
        List<byte[]> proof = new ArrayList<>();
        int start = end + 1;
        while (true) {
            end = text.indexOf('\n', start);
            if (end < 0) {
                throw new NoteException(MALFORMED_REQUEST, "a request has a blank line before its note");
            }
            if (end == start) {
                break;
            }
            if (proof.size() == MAX_PROOF_HASHES) {
                throw new ProofException(WRONG_PROOF_SIZE, "a request carries at most " + MAX_PROOF_HASHES + " proof hashes");
            }
            byte[] hash = NoteFormat.base64(text.substring(start, end));
            if (!TreeHash.isHash(hash)) {
                throw new ProofException(MALFORMED, "proof line " + proof.size() + " is not base64 of a " + TreeHash.SIZE + "-byte hash");
            }
            proof.add(hash);
            start = end + 1;
        }
        String note = text.substring(end + 1);
        if (note.getBytes(StandardCharsets.UTF_8).length > MAX_NOTE_BYTES) {
            throw new NoteException(MALFORMED_REQUEST, "a request's note has at most " + MAX_NOTE_BYTES + " bytes");
        }
        Checkpoint checkpoint = Checkpoint.parse(wellFormedText(note));
        if (oldSize > checkpoint.size()) {
            throw new ProofException(OUT_OF_RANGE, "old size " + oldSize + " is above the checkpoint's size " + checkpoint.size());
        }
        return new AddCheckpointRequest(oldSize, List.copyOf(proof), note, checkpoint);
    }

    /** The body to send: old size line, proof lines, blank line, note. */
    public byte[] body() {
        return format(oldSize, proof, note).getBytes(StandardCharsets.UTF_8);
    }

    /** The size the log believes the witness cosigned last (0: none). */
    public long oldSize() {
        return oldSize;
    }

    /** The consistency proof from {@link #oldSize()} to the checkpoint's size, lowest node first (copies). */
    public List<byte[]> proof() {
        return proof.stream().map(byte[]::clone).toList();
    }

    /** The signed note, as received. */
    public String note() {
        return note;
    }

    /**
     * The checkpoint the note's text claims, its signatures <em>not</em> verified: for a witness, only the
     * origin that selects the log's key, after which {@link Checkpoint#open} opens the note; for the log
     * sending its own note, the checkpoint that a cosignature must verify against.
     */
    public Checkpoint claimedCheckpoint() {
        return claimedCheckpoint;
    }

    private static String format(long oldSize, List<byte[]> proof, String note) {
        StringBuilder body = new StringBuilder("old ").append(oldSize).append('\n');
        proof.forEach(hash -> body.append(Base64.getEncoder().encodeToString(hash)).append('\n'));
        return body.append('\n').append(note).toString();
    }

    /** The text of a note whose lines are well formed, up to its last blank line; the signatures are not verified. */
    private static String wellFormedText(String note) throws NoteException {
        int split = note.lastIndexOf("\n\n");
        if (!NoteFormat.isNoteText(note) || split < 0 || !note.endsWith("\n") || note.length() == split + 2) {
            throw new NoteException(MALFORMED_NOTE, "a signed note is text, a blank line, and signature lines each ending with a newline");
        }
        String[] lines = note.substring(split + 2, note.length() - 1).split("\n", -1);
        if (lines.length > NoteVerifier.MAX_SIGNATURES) {
            throw new NoteException(MALFORMED_NOTE, "more than " + NoteVerifier.MAX_SIGNATURES + " signatures");
        }
        for (String line : lines) {
            NoteFormat.signatureLine(line);
        }
        return note.substring(0, split + 1);
    }
}

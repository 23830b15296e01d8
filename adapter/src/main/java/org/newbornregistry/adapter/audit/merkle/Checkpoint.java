package org.newbornregistry.adapter.audit.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import static org.newbornregistry.adapter.audit.merkle.NoteException.Reason.MALFORMED_CHECKPOINT;
import static org.newbornregistry.adapter.audit.merkle.NoteException.Reason.WRONG_ORIGIN;

/**
 * A checkpoint of the audit log, c2sp.org/tlog-checkpoint: the log's origin, its tree size in
 * decimal and the base64 root hash, one per line, then optional extension lines, signed as a note.
 * Whoever keeps a signed checkpoint can later demand a consistency proof from it to any newer one;
 * the log must never sign two checkpoints that no such proof connects.
 *
 * <p>Tree sizes are longs: a checkpoint above {@code Long.MAX_VALUE} (the format allows up to
 * 2<sup>64</sup>-1) is rejected as malformed, since this registry's log cannot reach it.
 */
public final class Checkpoint {

    private final String origin;
    private final long size;
    private final byte[] rootHash;
    private final List<String> extensions;

    /**
     * @param origin     the log's unique name, recommended a schema-less URL such as {@code registry.example/audit}
     * @param size       the number of leaves
     * @param rootHash   the root hash at that size
     * @param extensions further lines, opaque and signed too (the specification discourages them)
     * @throws IllegalArgumentException when a line would be empty or hold a newline or another control
     *                                  character, the size is negative, or the root is not a 32-byte hash
     */
    public Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
        if (!isLine(origin)) {
            throw new IllegalArgumentException("the origin is one non-empty line without control characters");
        }
        if (size < 0) {
            throw new IllegalArgumentException("a tree size is not negative");
        }
        if (!TreeHash.isHash(rootHash)) {
            throw new IllegalArgumentException("a root hash has " + TreeHash.SIZE + " bytes");
        }
        if (!extensions.stream().allMatch(Checkpoint::isLine)) {
            throw new IllegalArgumentException("extension lines are non-empty, without control characters");
        }
        this.origin = origin;
        this.size = size;
        this.rootHash = rootHash.clone();
        this.extensions = List.copyOf(extensions);
    }

    /** A checkpoint without extension lines. */
    public static Checkpoint of(String origin, long size, byte[] rootHash) {
        return new Checkpoint(origin, size, rootHash, List.of());
    }

    /**
     * Opens a signed checkpoint of the log {@code origin}: the note must carry a valid signature by the
     * verifier's key, and its text must be a checkpoint of that origin.
     *
     * @throws NoteException when any of that does not hold
     */
    public static Checkpoint open(String note, String origin, NoteVerifier verifier) throws NoteException {
        Checkpoint checkpoint = parse(verifier.open(note));
        if (!checkpoint.origin.equals(origin)) {
            throw new NoteException(WRONG_ORIGIN, "a checkpoint of another log");
        }
        return checkpoint;
    }

    /**
     * Reads a checkpoint's text, without any signature: only for text a {@link NoteVerifier} returned.
     *
     * @throws NoteException ({@code MALFORMED_CHECKPOINT}) when it is not a checkpoint
     */
    public static Checkpoint parse(String text) throws NoteException {
        if (text == null || !text.endsWith("\n") || !NoteFormat.isNoteText(text)) {
            throw new NoteException(MALFORMED_CHECKPOINT, "a checkpoint is lines of text, each ending with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3 || Arrays.stream(lines).anyMatch(String::isEmpty)) {
            throw new NoteException(MALFORMED_CHECKPOINT, "a checkpoint has at least three lines, none empty");
        }
        if (!lines[1].matches("0|[1-9][0-9]*")) {
            throw new NoteException(MALFORMED_CHECKPOINT, "the tree size is a decimal number without leading zeros");
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new NoteException(MALFORMED_CHECKPOINT, "the tree size is beyond what this log can reach");
        }
        byte[] rootHash = NoteFormat.base64(lines[2]);
        if (!TreeHash.isHash(rootHash)) {
            throw new NoteException(MALFORMED_CHECKPOINT, "the root hash is the base64 of " + TreeHash.SIZE + " bytes");
        }
        return new Checkpoint(lines[0], size, rootHash, List.of(lines).subList(3, lines.length));
    }

    /** The note text: origin, size, root hash and extensions, each line ending with a newline. */
    public String text() {
        List<String> lines = new ArrayList<>(List.of(origin, Long.toString(size), Base64.getEncoder().encodeToString(rootHash)));
        lines.addAll(extensions);
        return String.join("\n", lines) + "\n";
    }

    /** The signed note of this checkpoint. */
    public String sign(NoteSigner signer) {
        return signer.sign(text());
    }

    /** The log's unique name. */
    public String origin() {
        return origin;
    }

    /** The number of leaves. */
    public long size() {
        return size;
    }

    /** The root hash at that size. */
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The extension lines, in order. */
    public List<String> extensions() {
        return extensions;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoint checkpoint && origin.equals(checkpoint.origin) && size == checkpoint.size
                && Arrays.equals(rootHash, checkpoint.rootHash) && extensions.equals(checkpoint.extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, size, Arrays.hashCode(rootHash), extensions);
    }

    @Override
    public String toString() {
        return text();
    }

    private static boolean isLine(String line) {
        return line != null && !line.isEmpty() && !line.contains("\n") && NoteFormat.isNoteText(line);
    }
}

package org.newbornregistry.adapter.audit.merkle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.newbornregistry.adapter.audit.merkle.NoteException.Reason.BAD_SIGNATURE;
import static org.newbornregistry.adapter.audit.merkle.NoteException.Reason.MALFORMED_NOTE;
import static org.newbornregistry.adapter.audit.merkle.NoteException.Reason.UNTRUSTED;

/**
 * Witness cosignatures of checkpoints, {@code cosignature/v1} of c2sp.org/tlog-cosignature: a
 * witness that checked a checkpoint to be consistent with every one it saw before signs
 * {@code "cosignature/v1\ntime <seconds since the epoch>\n"} followed by the checkpoint's text, and
 * the note gains the line {@code — <witness name> <base64(key ID || timestamp || signature)>}, the
 * timestamp as an 8-byte big-endian number. A checkpoint cosigned by witnesses that auditors trust
 * cannot be shown to one auditor while another is shown a fork, unless the witnesses took part.
 *
 * <p>Signature lines here are single lines without their newline, as they are listed; a note
 * carries each followed by a newline. Only checkpoints are cosigned, as the specification requires
 * of {@code cosignature/v1}.
 */
public final class Cosignature {

    /** How a cosigned message starts, before the timestamp. */
    private static final String HEADER = "cosignature/v1\ntime ";
    private static final int TIMESTAMP_SIZE = Long.BYTES;

    private Cosignature() {
    }

    /**
     * The cosignature line of {@code checkpoint} by the witness, dated {@code timestamp}.
     *
     * @param checkpoint the checkpoint the witness vouches for
     * @param timestamp  when, in seconds since 1970-01-01T00:00:00Z
     * @param key        the witness's public key, whose name and key ID the line carries
     * @param privateKey its Ed25519 private key
     * @throws IllegalArgumentException when the timestamp is negative, or the private key is not Ed25519 or not
     *                                  the public key's (checked by verifying the new cosignature, so that a line
     *                                  that could never verify is not handed out)
     */
    public static String sign(Checkpoint checkpoint, long timestamp, WitnessKey key, PrivateKey privateKey) {
        if (timestamp < 0) {
            throw new IllegalArgumentException("a cosignature's timestamp is not before 1970");
        }
        byte[] message = message(checkpoint, timestamp);
        byte[] signature = Ed25519Keys.sign(privateKey, message);
        if (!Ed25519Keys.verify(key.publicKey(), message, signature)) {
            throw new IllegalArgumentException("the private key does not belong to the witness key");
        }
        byte[] bytes = ByteBuffer.allocate(4 + TIMESTAMP_SIZE + signature.length)
                .put(key.keyIdBytes()).putLong(timestamp).put(signature).array();
        return NoteFormat.SIGNATURE_PREFIX + key.name() + " " + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Checks that {@code signatureLine} is the witness's valid cosignature of {@code checkpoint}.
     *
     * @param signatureLine one signature line, without its newline, as a witness or a cosigned note hands it over
     * @return the timestamp the witness signed, in seconds since 1970-01-01T00:00:00Z
     * @throws NoteException {@code MALFORMED_NOTE} when it is not a signature line or its timestamp is beyond a
     *                       signed 64-bit number; {@code UNTRUSTED} when it is not by this key (another name or key
     *                       ID: another witness, another key of the same witness, or a log's signature);
     *                       {@code BAD_SIGNATURE} when it is by this key but does not verify for this checkpoint
     */
    public static long verify(String signatureLine, WitnessKey key, Checkpoint checkpoint) throws NoteException {
        NoteFormat.SignatureLine line = NoteFormat.signatureLine(signatureLine);
        if (!line.name().equals(key.name()) || !Arrays.equals(line.keyId(), key.keyIdBytes())) {
            throw new NoteException(UNTRUSTED, "not a cosignature by " + key.name());
        }
        byte[] rest = line.signature();
        if (rest.length != TIMESTAMP_SIZE + Ed25519Keys.SIGNATURE_SIZE) {
            throw new NoteException(BAD_SIGNATURE, "the cosignature by " + key.name() + " is not a timestamp and an Ed25519 signature");
        }
        long timestamp = ByteBuffer.wrap(rest, 0, TIMESTAMP_SIZE).getLong();
        if (timestamp < 0) {
            throw new NoteException(MALFORMED_NOTE, "the cosignature's timestamp is beyond " + Long.MAX_VALUE);
        }
        byte[] signature = Arrays.copyOfRange(rest, TIMESTAMP_SIZE, rest.length);
        if (!Ed25519Keys.verify(key.publicKey(), message(checkpoint, timestamp), signature)) {
            throw new NoteException(BAD_SIGNATURE, "the cosignature by " + key.name() + " does not verify");
        }
        return timestamp;
    }

    /**
     * The lines of a witness's answer to add-checkpoint: strict UTF-8 text ending in a newline, split at the
     * newlines; empty when the answer is not that.
     */
    public static Optional<List<String>> answerLines(byte[] answer) {
        String text = NoteFormat.utf8(answer);
        if (text == null || text.isEmpty() || !text.endsWith("\n")) {
            return Optional.empty();
        }
        return Optional.of(List.of(text.substring(0, text.length() - 1).split("\n", -1)));
    }

    /**
     * The timestamp a cosignature line claims, its signature <em>not</em> verified: for a line by a witness whose
     * key is not configured, to be shown or passed on, never trusted. {@link #verify} is the check.
     *
     * @param signatureLine one signature line, without its newline
     * @return the claimed timestamp, in seconds since 1970-01-01T00:00:00Z
     * @throws NoteException ({@code MALFORMED_NOTE}) when it is not a signature line carrying a key ID, a timestamp
     *                       up to 2<sup>63</sup>-1 and an Ed25519 signature
     */
    public static long claimedTimestamp(String signatureLine) throws NoteException {
        byte[] rest = NoteFormat.signatureLine(signatureLine).signature();
        if (rest.length != TIMESTAMP_SIZE + Ed25519Keys.SIGNATURE_SIZE) {
            throw new NoteException(MALFORMED_NOTE, "not a cosignature: a key ID, a timestamp and an Ed25519 signature");
        }
        long timestamp = ByteBuffer.wrap(rest, 0, TIMESTAMP_SIZE).getLong();
        if (timestamp < 0) {
            throw new NoteException(MALFORMED_NOTE, "the cosignature's timestamp is beyond " + Long.MAX_VALUE);
        }
        return timestamp;
    }

    /** What the witness signs: the header, the timestamp in decimal, a newline, then the checkpoint's text. */
    private static byte[] message(Checkpoint checkpoint, long timestamp) {
        return (HEADER + timestamp + "\n" + checkpoint.text()).getBytes(StandardCharsets.UTF_8);
    }
}

package org.newbornregistry.adapter.audit.merkle;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * Signs each audit log entry as the application writes it, as a certificate-transparency log's
 * signed certificate timestamp vouches for an entry before it is in a checkpoint: the Ed25519
 * signature of {@code "nbr-audit-entry/v1\n" || leaf hash}. The key stays with the application, so
 * a row added to the log with SQL — whose leaf hash anyone can compute — carries no valid
 * signature, is not integrated, and fails verification.
 *
 * <p>The prefix keeps these signatures apart from the checkpoint notes the same key signs: a signed
 * message is either a note text, starting with the log's origin line, or this prefix and 32 bytes.
 */
public final class EntrySigner {

    private static final byte[] CONTEXT = "nbr-audit-entry/v1\n".getBytes(StandardCharsets.US_ASCII);

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    /**
     * @throws IllegalArgumentException when the keys are not an Ed25519 pair (checked by signing once)
     */
    public EntrySigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        if (!verifies(publicKey, new byte[TreeHash.SIZE], sign(new byte[TreeHash.SIZE]))) {
            throw new IllegalArgumentException("the private key does not belong to the public key");
        }
    }

    /** The key that verifies this signer's entries. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** The signature of an entry's leaf hash. */
    public byte[] sign(byte[] leafHash) {
        return Ed25519Keys.sign(privateKey, message(leafHash));
    }

    /** Whether {@code signature} is the key's signature of the entry with this leaf hash; false, never an exception, otherwise. */
    public static boolean verifies(PublicKey key, byte[] leafHash, byte[] signature) {
        return leafHash != null && signature != null && leafHash.length == TreeHash.SIZE
                && Ed25519Keys.verify(key, message(leafHash), signature);
    }

    private static byte[] message(byte[] leafHash) {
        if (leafHash.length != TreeHash.SIZE) {
            throw new IllegalArgumentException("a leaf hash has " + TreeHash.SIZE + " bytes");
        }
        byte[] message = new byte[CONTEXT.length + leafHash.length];
        System.arraycopy(CONTEXT, 0, message, 0, CONTEXT.length);
        System.arraycopy(leafHash, 0, message, CONTEXT.length, leafHash.length);
        return message;
    }
}

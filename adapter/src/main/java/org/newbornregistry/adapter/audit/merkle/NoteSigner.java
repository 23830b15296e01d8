package org.newbornregistry.adapter.audit.merkle;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;

/**
 * Signs note texts as c2sp.org/signed-note prescribes, with Ed25519: the text, a blank line, and
 * the signature line {@code — <key name> <base64(key ID || signature)>}. Ed25519 is deterministic,
 * so one text and one key always give the same note.
 *
 * <p>Holds the private key; build it from configuration or a key store, never log it.
 */
public final class NoteSigner {

    private final PrivateKey privateKey;
    private final VerifierKey verifierKey;

    /**
     * @param keyName    the name signature lines carry (for checkpoints, the log's origin is recommended)
     * @param privateKey the Ed25519 private key that signs
     * @param publicKey  its public key, which names the key (the key ID hashes it)
     * @throws IllegalArgumentException when the name is not a key name, a key is not Ed25519, or the two
     *                                  keys are not a pair (checked by signing once)
     */
    public NoteSigner(String keyName, PrivateKey privateKey, PublicKey publicKey) {
        this.verifierKey = VerifierKey.of(keyName, publicKey);
        this.privateKey = privateKey;
        byte[] probe = "nbr key pair check\n".getBytes(StandardCharsets.US_ASCII);
        if (!Ed25519Keys.verify(publicKey, probe, Ed25519Keys.sign(privateKey, probe))) {
            throw new IllegalArgumentException("the private key does not belong to the public key");
        }
    }

    /** What auditors need to verify this signer's notes. */
    public VerifierKey verifierKey() {
        return verifierKey;
    }

    /**
     * The signed note of {@code text}.
     *
     * @throws IllegalArgumentException when the text is empty, does not end with a newline, or holds a
     *                                  control character other than newline
     */
    public String sign(String text) {
        if (text == null || text.isEmpty() || !text.endsWith("\n") || !NoteFormat.isNoteText(text)) {
            throw new IllegalArgumentException("a note text ends with a newline and holds no other control character");
        }
        byte[] signature = Ed25519Keys.sign(privateKey, text.getBytes(StandardCharsets.UTF_8));
        byte[] keyIdAndSignature = new byte[4 + signature.length];
        System.arraycopy(verifierKey.keyIdBytes(), 0, keyIdAndSignature, 0, 4);
        System.arraycopy(signature, 0, keyIdAndSignature, 4, signature.length);
        return text + "\n" + NoteFormat.SIGNATURE_PREFIX + verifierKey.name() + " "
                + Base64.getEncoder().encodeToString(keyIdAndSignature) + "\n";
    }
}

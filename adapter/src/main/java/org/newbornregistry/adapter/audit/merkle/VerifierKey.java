package org.newbornregistry.adapter.audit.merkle;

import java.security.PublicKey;
import java.util.Arrays;

/**
 * The public half of a checkpoint signing key, as auditors are given it: the key name, its key ID
 * and the Ed25519 public key, written {@code <name>+<key ID as 8 hex digits>+<base64(0x01 || public key)>}
 * (the verifier-key form of golang.org/x/mod/sumdb/note, which transparency-log tools exchange).
 *
 * <p>The key ID is the first four bytes of {@code SHA-256(name || 0x0A || 0x01 || public key)}
 * (c2sp.org/signed-note, Ed25519 signature type 0x01); it starts every signature, so that a
 * verifier picks out the signatures of its key among others.
 */
public final class VerifierKey {

    /** The signature type byte of Ed25519 in signed notes. */
    static final byte ED25519 = 0x01;

    private final String name;
    private final byte[] keyId;
    private final byte[] rawKey;
    private final PublicKey publicKey;

    private VerifierKey(String name, byte[] rawKey, PublicKey publicKey) {
        this.name = name;
        this.rawKey = rawKey;
        this.publicKey = publicKey;
        this.keyId = KeyEncoding.keyId(name, ED25519, rawKey);
    }

    /**
     * The verifier key of an Ed25519 public key under a key name.
     *
     * @throws IllegalArgumentException when the name is empty or holds spaces, plus signs or control
     *                                  characters, or the key is not an Ed25519 public key
     */
    public static VerifierKey of(String name, PublicKey publicKey) {
        if (!NoteFormat.isKeyName(name)) {
            throw new IllegalArgumentException("a key name is non-empty, without spaces, plus signs or control characters");
        }
        return new VerifierKey(name, Ed25519Keys.raw(publicKey), publicKey);
    }

    /**
     * Reads {@code <name>+<key ID>+<base64(0x01 || public key)>}.
     *
     * @throws IllegalArgumentException when it is not one, the type is not Ed25519, or the key ID is not the key's
     */
    public static VerifierKey parse(String vkey) {
        KeyEncoding.Decoded decoded = KeyEncoding.decode(vkey, ED25519);
        return new VerifierKey(decoded.name(), decoded.rawKey(), Ed25519Keys.publicKey(decoded.rawKey()));
    }

    /** The key name, which signature lines carry. */
    public String name() {
        return name;
    }

    /** The key ID, as the unsigned 32-bit number the vkey spells in hex. */
    public int keyId() {
        return (keyId[0] & 0xff) << 24 | (keyId[1] & 0xff) << 16 | (keyId[2] & 0xff) << 8 | keyId[3] & 0xff;
    }

    /** The Ed25519 public key. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** {@code <name>+<key ID>+<base64(0x01 || public key)>}, what {@link #parse} reads. */
    public String encoded() {
        return KeyEncoding.encode(name, ED25519, rawKey);
    }

    /** The four key ID bytes that start each of this key's signatures. */
    byte[] keyIdBytes() {
        return keyId.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VerifierKey key && name.equals(key.name) && Arrays.equals(rawKey, key.rawKey);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(rawKey);
    }

    @Override
    public String toString() {
        return encoded();
    }
}

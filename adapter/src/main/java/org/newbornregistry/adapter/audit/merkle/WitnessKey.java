package org.newbornregistry.adapter.audit.merkle;

import java.security.PublicKey;
import java.util.Arrays;

/**
 * The public key of a witness that cosigns the log's checkpoints (c2sp.org/tlog-cosignature): its
 * name, key ID and Ed25519 public key, written {@code <name>+<key ID as 8 hex digits>+<base64(0x04 || public key)>}.
 *
 * <p>A class apart from {@link VerifierKey} because it is another kind of key: type 0x04
 * ({@code cosignature/v1}) enters the key ID {@code SHA-256(name || 0x0A || 0x04 || public key)[:4]}
 * and the signed message carries a timestamp, so a witness key never opens a note as the log's key,
 * nor a log key a cosignature, even where the same Ed25519 key were used for both.
 */
public final class WitnessKey {

    /** The signature type byte of {@code cosignature/v1}. */
    static final byte COSIGNATURE_V1 = 0x04;

    private final String name;
    private final byte[] keyId;
    private final byte[] rawKey;
    private final PublicKey publicKey;

    private WitnessKey(String name, byte[] rawKey, PublicKey publicKey) {
        this.name = name;
        this.rawKey = rawKey;
        this.publicKey = publicKey;
        this.keyId = KeyEncoding.keyId(name, COSIGNATURE_V1, rawKey);
    }

    /**
     * The witness key of an Ed25519 public key under the witness's name.
     *
     * @throws IllegalArgumentException when the name is empty or holds spaces, plus signs or control
     *                                  characters, or the key is not an Ed25519 public key
     */
    public static WitnessKey of(String name, PublicKey publicKey) {
        if (!NoteFormat.isKeyName(name)) {
            throw new IllegalArgumentException("a key name is non-empty, without spaces, plus signs or control characters");
        }
        return new WitnessKey(name, Ed25519Keys.raw(publicKey), publicKey);
    }

    /**
     * Reads {@code <name>+<key ID>+<base64(0x04 || public key)>}, as witnesses publish their keys.
     *
     * @throws IllegalArgumentException when it is not one, the type is not 0x04 (a log's 0x01 key among them),
     *                                  or the key ID is not the key's
     */
    public static WitnessKey parse(String vkey) {
        KeyEncoding.Decoded decoded = KeyEncoding.decode(vkey, COSIGNATURE_V1);
        return new WitnessKey(decoded.name(), decoded.rawKey(), Ed25519Keys.publicKey(decoded.rawKey()));
    }

    /** The witness's name, which its cosignature lines carry. */
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

    /** {@code <name>+<key ID>+<base64(0x04 || public key)>}, what {@link #parse} reads. */
    public String encoded() {
        return KeyEncoding.encode(name, COSIGNATURE_V1, rawKey);
    }

    /** The four key ID bytes that start each of this witness's cosignatures. */
    byte[] keyIdBytes() {
        return keyId.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WitnessKey key && name.equals(key.name) && Arrays.equals(rawKey, key.rawKey);
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

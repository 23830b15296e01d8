package org.newbornregistry.adapter.audit.merkle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * What checkpoint keys ({@link VerifierKey}, type 0x01) and witness keys ({@link WitnessKey}, type
 * 0x04) share: the key ID {@code SHA-256(name || 0x0A || type || public key)[:4]} and the vkey form
 * {@code <name>+<key ID as 8 hex digits>+<base64(type || public key)>}. The type byte enters the key
 * ID, so one Ed25519 key has a different ID as a log's key than as a witness's, and a signature of
 * one kind never passes for the other.
 */
final class KeyEncoding {

    private KeyEncoding() {
    }

    /** A vkey's name and 32-byte Ed25519 key, read by {@link #decode}. */
    record Decoded(String name, byte[] rawKey) {
    }

    /** The four key ID bytes: {@code SHA-256(name || 0x0A || type || rawKey)[:4]}. */
    static byte[] keyId(String name, byte type, byte[] rawKey) {
        MessageDigest digest = TreeHash.sha256();
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(type);
        digest.update(rawKey);
        return Arrays.copyOf(digest.digest(), 4);
    }

    /** {@code <name>+<key ID>+<base64(type || rawKey)>}. */
    static String encode(String name, byte type, byte[] rawKey) {
        byte[] typeAndKey = new byte[1 + rawKey.length];
        typeAndKey[0] = type;
        System.arraycopy(rawKey, 0, typeAndKey, 1, rawKey.length);
        return name + "+" + HexFormat.of().formatHex(keyId(name, type, rawKey)) + "+" + Base64.getEncoder().encodeToString(typeAndKey);
    }

    /**
     * Reads {@code <name>+<key ID>+<base64(type || public key)>} of an Ed25519 key of the given type.
     *
     * @throws IllegalArgumentException when it is not one, the type is another, or the key ID is not the key's
     */
    static Decoded decode(String vkey, byte type) {
        int first = vkey == null ? -1 : vkey.indexOf('+');
        int second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
        if (second < 0) {
            throw new IllegalArgumentException("a verifier key is <name>+<key ID>+<key>");
        }
        String name = vkey.substring(0, first);
        String hash = vkey.substring(first + 1, second);
        byte[] typeAndKey = NoteFormat.base64(vkey.substring(second + 1));
        if (!NoteFormat.isKeyName(name) || !hash.matches("[0-9a-fA-F]{8}") || typeAndKey == null) {
            throw new IllegalArgumentException("a verifier key is <name>+<8 hex digits>+<base64>");
        }
        if (typeAndKey.length != 1 + Ed25519Keys.PUBLIC_KEY_SIZE || typeAndKey[0] != type) {
            throw new IllegalArgumentException(String.format("only keys of type 0x%02x with %d-byte Ed25519 keys are read here",
                    type, Ed25519Keys.PUBLIC_KEY_SIZE));
        }
        byte[] rawKey = Arrays.copyOfRange(typeAndKey, 1, typeAndKey.length);
        if (!Arrays.equals(keyId(name, type, rawKey), HexFormat.of().parseHex(hash))) {
            throw new IllegalArgumentException("the key ID does not belong to this name and key");
        }
        return new Decoded(name, rawKey);
    }
}

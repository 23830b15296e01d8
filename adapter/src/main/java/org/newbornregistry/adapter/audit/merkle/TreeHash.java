package org.newbornregistry.adapter.audit.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hashes of an RFC 9162 (RFC 6962) Merkle tree with SHA-256 (RFC 9162 §2.1.1): a leaf is
 * {@code SHA-256(0x00 || entry)}, an interior node {@code SHA-256(0x01 || left || right)} and the
 * empty tree {@code SHA-256()}. The two prefixes keep a leaf from ever passing for a node (second
 * preimages), and children must be exactly {@value #SIZE} bytes so that {@code left || right}
 * splits one way only.
 */
public final class TreeHash {

    /** Length of every hash in the tree, in bytes. */
    public static final int SIZE = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private TreeHash() {
    }

    /** The root hash of the tree without leaves, {@code SHA-256()}. */
    public static byte[] emptyTree() {
        return sha256().digest();
    }

    /** The leaf hash of an entry: {@code SHA-256(0x00 || entry)}. */
    public static byte[] leaf(byte[] entry) {
        MessageDigest digest = sha256();
        digest.update(LEAF_PREFIX);
        return digest.digest(entry);
    }

    /**
     * The hash of an interior node: {@code SHA-256(0x01 || left || right)}.
     *
     * @throws IllegalArgumentException when a child is not a {@value #SIZE}-byte hash
     */
    public static byte[] node(byte[] left, byte[] right) {
        if (!isHash(left) || !isHash(right)) {
            throw new IllegalArgumentException("a node's children must be " + SIZE + "-byte hashes");
        }
        return node(sha256(), left, right);
    }

    /** Whether {@code value} has the shape of a tree hash (not null, {@value #SIZE} bytes). */
    static boolean isHash(byte[] value) {
        return value != null && value.length == SIZE;
    }

    /** {@code SHA-256(0x01 || left || right)} with a digest the caller reuses; children already checked. */
    static byte[] node(MessageDigest digest, byte[] left, byte[] right) {
        digest.update(NODE_PREFIX);
        digest.update(left);
        return digest.digest(right);
    }

    /** A fresh SHA-256 digest; callers hashing many nodes keep one (digests are not thread-safe). */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

package org.newbornregistry.adapter.audit.merkle;

import java.security.MessageDigest;
import java.util.List;

/**
 * The root hash of a log that grows one leaf at a time, computed without keeping the leaves:
 * a tree of {@code n} leaves is a row of perfect subtrees, one per bit set in {@code n}, largest
 * on the left, and its RFC 9162 root folds them from the right (splitting at the largest power
 * of two below {@code n}, §2.1.1, puts exactly those subtrees together). Appending a leaf merges
 * equal-sized subtrees like a binary counter carries, so a million leaves cost a million node
 * hashes and at most 64 stored hashes.
 *
 * <p>Not thread-safe: one writer appends, as one writer appends to the log.
 */
public final class CompactRange {

    /** {@code peaks[h]} is the root of the perfect subtree of 2<sup>h</sup> leaves when bit h of the size is set. */
    private final byte[][] peaks = new byte[Long.SIZE][];
    private final MessageDigest digest = TreeHash.sha256();
    private long size;

    /** The root hash of the tree of all {@code leafHashes}. */
    public static byte[] rootHash(List<byte[]> leafHashes) {
        return rootHash(leafHashes, leafHashes.size());
    }

    /**
     * The root hash of the tree of the first {@code treeSize} of {@code leafHashes}: what the log's
     * root was when it had that many entries.
     *
     * @throws IllegalArgumentException when {@code treeSize} is negative or larger than the list
     */
    public static byte[] rootHash(List<byte[]> leafHashes, int treeSize) {
        if (treeSize < 0 || treeSize > leafHashes.size()) {
            throw new IllegalArgumentException("tree size " + treeSize + " is outside 0.." + leafHashes.size());
        }
        CompactRange range = new CompactRange();
        for (byte[] leafHash : leafHashes.subList(0, treeSize)) {
            range.append(leafHash);
        }
        return range.rootHash();
    }

    /**
     * Adds the next leaf.
     *
     * @throws IllegalArgumentException when {@code leafHash} is not a {@value TreeHash#SIZE}-byte hash
     */
    public void append(byte[] leafHash) {
        if (!TreeHash.isHash(leafHash)) {
            throw new IllegalArgumentException("a leaf hash has " + TreeHash.SIZE + " bytes");
        }
        if (size == Long.MAX_VALUE) {
            throw new IllegalStateException("the tree is full");
        }
        byte[] carry = leafHash.clone();
        int height = 0;
        while ((size >>> height & 1) == 1) {
            carry = TreeHash.node(digest, peaks[height], carry);
            peaks[height] = null;
            height++;
        }
        peaks[height] = carry;
        size++;
    }

    /** How many leaves have been appended. */
    public long size() {
        return size;
    }

    /** The root hash of the tree of the leaves appended so far; {@link TreeHash#emptyTree()} before the first. */
    public byte[] rootHash() {
        byte[] root = null;
        for (byte[] peak : peaks) {
            if (peak != null) {
                root = root == null ? peak.clone() : TreeHash.node(digest, peak, root);
            }
        }
        return root == null ? TreeHash.emptyTree() : root;
    }
}

package org.newbornregistry.adapter.audit.merkle;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An RFC 9162 Merkle tree over leaf hashes held in memory, with every perfect subtree's hash
 * stored (2n hashes in all), so that the hash of any subtree the proofs need, and therefore any
 * inclusion or consistency proof, costs O(log n) node hashes instead of rehashing leaves.
 *
 * <p>A subtree is {@code [start, end)} with {@code start} a multiple of the smallest power of two
 * not below {@code end - start} (draft-ietf-plants-merkle-tree-certs §4.1); the prefixes
 * {@code [0, m)}, the trees of earlier sizes, are all subtrees. Each such range is a row of
 * perfect subtrees, largest first, whose hashes fold from the right as in {@link CompactRange}.
 *
 * <p>Immutable, and safe to share between threads. Hashes are stored flat, 32 bytes apiece, so a
 * tree holds at most {@value #MAX_LEAVES} leaves (about 64 MB of hashes at a million).
 */
public final class MerkleTree {

    /** The most leaves one tree holds: its leaf hashes fill one array. */
    public static final int MAX_LEAVES = Integer.MAX_VALUE / TreeHash.SIZE;

    /** {@code levels[h]} holds the hashes of the perfect subtrees of 2<sup>h</sup> leaves, left to right. */
    private final byte[][] levels;
    private final int size;

    private MerkleTree(byte[][] levels, int size) {
        this.levels = levels;
        this.size = size;
    }

    /**
     * The tree over {@code leafHashes}, in log order.
     *
     * @throws IllegalArgumentException when a leaf hash is not {@value TreeHash#SIZE} bytes, or there are too many
     */
    public static MerkleTree of(List<byte[]> leafHashes) {
        if (leafHashes.size() > MAX_LEAVES) {
            throw new IllegalArgumentException("a tree in memory holds at most " + MAX_LEAVES + " leaves");
        }
        int size = leafHashes.size();
        byte[] leaves = new byte[size * TreeHash.SIZE];
        for (int i = 0; i < size; i++) {
            byte[] leafHash = leafHashes.get(i);
            if (!TreeHash.isHash(leafHash)) {
                throw new IllegalArgumentException("leaf hash " + i + " is not a " + TreeHash.SIZE + "-byte hash");
            }
            System.arraycopy(leafHash, 0, leaves, i * TreeHash.SIZE, TreeHash.SIZE);
        }
        List<byte[]> levels = new ArrayList<>();
        levels.add(leaves);
        MessageDigest digest = TreeHash.sha256();
        for (byte[] below = leaves; below.length >= 2 * TreeHash.SIZE; ) {
            below = pairUp(digest, below);
            levels.add(below);
        }
        return new MerkleTree(levels.toArray(new byte[0][]), size);
    }

    /** The level above: each pair of neighbouring perfect subtrees becomes their parent; an odd one out waits. */
    private static byte[] pairUp(MessageDigest digest, byte[] below) {
        int parents = below.length / TreeHash.SIZE / 2;
        byte[] above = new byte[parents * TreeHash.SIZE];
        try {
            for (int i = 0; i < parents; i++) {
                digest.update((byte) 0x01);
                digest.update(below, 2 * i * TreeHash.SIZE, 2 * TreeHash.SIZE);
                digest.digest(above, i * TreeHash.SIZE, TreeHash.SIZE);
            }
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 writes 32 bytes", e);
        }
        return above;
    }

    /**
     * Whether {@code [start, end)} is a subtree (of any tree with at least {@code end} leaves): {@code 0 <= start <= end}
     * and {@code start} is a multiple of {@code BIT_CEIL(end - start)}, the smallest power of two not below its size.
     */
    public static boolean isSubtree(long start, long end) {
        if (start < 0 || end < start) {
            return false;
        }
        long size = end - start;
        if (size <= 1) {
            return true;
        }
        int bits = Long.SIZE - Long.numberOfLeadingZeros(size - 1);
        // Why: BIT_CEIL(size) = 2^bits may be 2^63, beyond a long; start is a multiple of it iff its low bits are clear.
        long mask = bits == 63 ? Long.MAX_VALUE : (1L << bits) - 1;
        return (start & mask) == 0;
    }

    /** How many leaves the tree has. */
    public long size() {
        return size;
    }

    /** The hash of leaf {@code index}. */
    public byte[] leafHash(long index) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is outside 0.." + (size - 1));
        }
        return perfect(0, index);
    }

    /** The root hash of the whole tree. */
    public byte[] rootHash() {
        return subtreeHash(0, size);
    }

    /** The root hash the tree had when it had {@code treeSize} leaves. */
    public byte[] rootHash(long treeSize) {
        return subtreeHash(0, treeSize);
    }

    /**
     * The hash of the subtree {@code [start, end)}, {@code MTH(D[start:end])}.
     *
     * @throws IllegalArgumentException when {@code [start, end)} is not a subtree of this tree
     */
    public byte[] subtreeHash(long start, long end) {
        if (start < 0 || end < start || end > size) {
            throw new IllegalArgumentException("[" + start + ", " + end + ") is outside [0, " + size + ")");
        }
        if (!isSubtree(start, end)) {
            throw new IllegalArgumentException("[" + start + ", " + end + ") is not a subtree: its start is not aligned to its size");
        }
        if (start == end) {
            return TreeHash.emptyTree();
        }
        // Why: the alignment makes [start, end) a row of aligned perfect subtrees, largest first.
        List<byte[]> row = new ArrayList<>();
        long position = start;
        for (int height = 63 - Long.numberOfLeadingZeros(end - start); height >= 0; height--) {
            if (((end - start) >>> height & 1) == 1) {
                row.add(perfect(height, position >>> height));
                position += 1L << height;
            }
        }
        MessageDigest digest = TreeHash.sha256();
        byte[] hash = row.get(row.size() - 1);
        for (int i = row.size() - 2; i >= 0; i--) {
            hash = TreeHash.node(digest, row.get(i), hash);
        }
        return hash;
    }

    /** The stored hash of the {@code index}-th perfect subtree of 2<sup>height</sup> leaves. */
    private byte[] perfect(int height, long index) {
        int from = Math.toIntExact(index * TreeHash.SIZE);
        return Arrays.copyOfRange(levels[height], from, from + TreeHash.SIZE);
    }
}

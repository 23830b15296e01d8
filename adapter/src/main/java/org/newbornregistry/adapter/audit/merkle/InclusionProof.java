package org.newbornregistry.adapter.audit.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.newbornregistry.adapter.audit.merkle.ProofException.Reason.OUT_OF_RANGE;
import static org.newbornregistry.adapter.audit.merkle.ProofException.Reason.ROOT_MISMATCH;
import static org.newbornregistry.adapter.audit.merkle.ProofException.Reason.WRONG_PROOF_SIZE;

/**
 * Merkle audit paths, RFC 9162 §2.1.3: the sibling hashes from a leaf up to the root, which let
 * anyone holding a checkpoint (tree size and root hash) check that an audit entry is in the log
 * at its index, without the rest of the log.
 */
public final class InclusionProof {

    private InclusionProof() {
    }

    /**
     * The audit path {@code PATH(leafIndex, D[0:treeSize])} (RFC 9162 §2.1.3.1), lowest sibling first.
     *
     * @throws IllegalArgumentException unless {@code 0 <= leafIndex < treeSize <= tree.size()}
     */
    public static List<byte[]> generate(MerkleTree tree, long leafIndex, long treeSize) {
        if (treeSize > tree.size() || leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException("leaf " + leafIndex + " is not in a tree of " + treeSize + " of " + tree.size() + " leaves");
        }
        return path(tree, leafIndex, 0, treeSize);
    }

    /**
     * {@code PATH(index - start, D[start:end])} for a subtree {@code [start, end)}: walking down from its
     * root, the sibling of each step towards the leaf, turned around to start at the bottom.
     */
    static List<byte[]> path(MerkleTree tree, long index, long start, long end) {
        List<byte[]> siblings = new ArrayList<>();
        while (end - start > 1) {
            long middle = start + ProofNodes.split(end - start);
            if (index < middle) {
                siblings.add(tree.subtreeHash(middle, end));
                end = middle;
            } else {
                siblings.add(tree.subtreeHash(start, middle));
                start = middle;
            }
        }
        Collections.reverse(siblings);
        return siblings;
    }

    /**
     * Checks that {@code leafHash} is leaf {@code leafIndex} of the tree of {@code treeSize} leaves whose
     * root is {@code rootHash} (RFC 9162 §2.1.3.2).
     *
     * @throws ProofException when it is not shown: the index is not below the size, the leaf hash or a
     *                        node is malformed, the path is too long or too short, or it leads elsewhere
     */
    public static void verify(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] rootHash)
            throws ProofException {
        byte[] computed = rootFrom(leafIndex, treeSize, leafHash, proof);
        if (!ProofNodes.equal(computed, rootHash)) {
            throw new ProofException(ROOT_MISMATCH, "the path from leaf " + leafIndex + " leads to another root");
        }
    }

    /** The root the path leads to, following RFC 9162 §2.1.3.2 (the subtree inclusion proofs use it too). */
    static byte[] rootFrom(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof) throws ProofException {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new ProofException(OUT_OF_RANGE, "leaf index " + leafIndex + " is not below tree size " + treeSize);
        }
        ProofNodes.requireHash(leafHash, "leaf hash");
        ProofNodes.requireWellFormed(proof);
        MessageDigest digest = TreeHash.sha256();
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                throw new ProofException(WRONG_PROOF_SIZE, "the path is longer than the tree of " + treeSize + " is high");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = ProofNodes.node(digest, p, r);
                // Why: on the right edge a node may have no right sibling; skip the levels it is carried up unchanged.
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = ProofNodes.node(digest, r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException(WRONG_PROOF_SIZE, "the path is shorter than the tree of " + treeSize + " is high");
        }
        return r;
    }
}

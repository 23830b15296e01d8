package org.newbornregistry.adapter.audit.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.newbornregistry.adapter.audit.merkle.ProofException.Reason.INVALID_SUBTREE;
import static org.newbornregistry.adapter.audit.merkle.ProofException.Reason.OUT_OF_RANGE;
import static org.newbornregistry.adapter.audit.merkle.ProofException.Reason.ROOT_MISMATCH;
import static org.newbornregistry.adapter.audit.merkle.ProofException.Reason.WRONG_PROOF_SIZE;

/**
 * Proofs about subtrees, draft-ietf-plants-merkle-tree-certs §4 (an Internet-Draft extending
 * RFC 9162, not yet an RFC): a subtree {@code [start, end)} is the Merkle tree of the entries
 * {@code start..end-1}, where {@code start} is a multiple of {@code BIT_CEIL(end - start)}, the
 * smallest power of two not below its size. An auditor can then hold the hash of one aligned
 * stretch of the audit log, check entries against it (subtree inclusion, §4.3) and check that the
 * stretch sits unchanged in the whole log (subtree consistency, §4.4). Covering an arbitrary
 * interval with two subtrees (the draft's "Efficiently Covering Arbitrary Intervals") is not here.
 *
 * <p>With {@code start = 0} these are the RFC 9162 proofs: a subtree consistency proof for
 * {@code [0, m)} is the consistency proof from size m.
 */
public final class SubtreeProof {

    private SubtreeProof() {
    }

    /**
     * The inclusion proof for leaf {@code leafIndex} in the subtree {@code [start, end)}: the audit path
     * of {@code leafIndex - start} in the tree of the subtree's entries (§4.3).
     *
     * @throws IllegalArgumentException unless {@code [start, end)} is a subtree of the tree holding the leaf
     */
    public static List<byte[]> generateInclusion(MerkleTree tree, long leafIndex, long start, long end) {
        if (!MerkleTree.isSubtree(start, end) || end > tree.size() || leafIndex < start || leafIndex >= end) {
            throw new IllegalArgumentException("leaf " + leafIndex + " is not in a subtree [" + start + ", " + end + ") of the tree");
        }
        return InclusionProof.path(tree, leafIndex, start, end);
    }

    /**
     * Checks that {@code leafHash} is leaf {@code leafIndex} of the subtree {@code [start, end)} whose
     * hash is {@code subtreeHash} (§4.3.2, evaluating, and §4.3.3, verifying, a subtree inclusion proof).
     *
     * @throws ProofException when it is not shown
     */
    public static void verifyInclusion(long leafIndex, long start, long end, byte[] leafHash, List<byte[]> proof, byte[] subtreeHash)
            throws ProofException {
        requireSubtree(start, end);
        if (leafIndex < start || leafIndex >= end) {
            throw new ProofException(OUT_OF_RANGE, "leaf " + leafIndex + " is outside [" + start + ", " + end + ")");
        }
        byte[] computed = InclusionProof.rootFrom(leafIndex - start, end - start, leafHash, proof);
        if (!ProofNodes.equal(computed, subtreeHash)) {
            throw new ProofException(ROOT_MISMATCH, "the path from leaf " + leafIndex + " leads to another subtree hash");
        }
    }

    /**
     * The consistency proof {@code SUBTREE_PROOF(start, end, D[0:treeSize])} (§4.4.1), lowest node first:
     * enough nodes to rebuild both the subtree's hash and the root, sharing every entry.
     *
     * @throws IllegalArgumentException unless {@code [start, end)} is a subtree and {@code end <= treeSize <= tree.size()}
     */
    public static List<byte[]> generateConsistency(MerkleTree tree, long start, long end, long treeSize) {
        if (!MerkleTree.isSubtree(start, end) || end > treeSize || treeSize > tree.size()) {
            throw new IllegalArgumentException("[" + start + ", " + end + ") is not a subtree of a tree of " + treeSize);
        }
        List<byte[]> nodes = new ArrayList<>();
        if (start == end) {
            return nodes;
        }
        // Why: SUBTREE_SUBPROOF walked down iteratively; the subtree's own hash is left out while it is a node of the tree.
        long low = 0;
        long high = treeSize;
        boolean subtreeIsNode = true;
        while (start != low || end != high) {
            long middle = low + ProofNodes.split(high - low);
            if (end <= middle) {
                nodes.add(tree.subtreeHash(middle, high));
                high = middle;
            } else if (middle <= start) {
                nodes.add(tree.subtreeHash(low, middle));
                low = middle;
            } else {
                nodes.add(tree.subtreeHash(low, middle));
                low = middle;
                start = middle;
                subtreeIsNode = false;
            }
        }
        if (!subtreeIsNode) {
            nodes.add(tree.subtreeHash(low, high));
        }
        Collections.reverse(nodes);
        return nodes;
    }

    /**
     * Checks that the subtree {@code [start, end)} with hash {@code subtreeHash} sits unchanged in the tree
     * of {@code treeSize} leaves with root {@code rootHash} (§4.4.3). An empty subtree needs an empty proof
     * and the empty tree's hash, and says nothing about the root.
     *
     * @throws ProofException when it is not shown
     */
    public static void verifyConsistency(long start, long end, long treeSize, byte[] subtreeHash, byte[] rootHash, List<byte[]> proof)
            throws ProofException {
        requireSubtree(start, end);
        if (end > treeSize) {
            throw new ProofException(OUT_OF_RANGE, "the subtree ends at " + end + ", beyond the tree of " + treeSize);
        }
        ProofNodes.requireWellFormed(proof);
        if (start == end) {
            if (!proof.isEmpty()) {
                throw new ProofException(WRONG_PROOF_SIZE, "an empty subtree needs an empty proof");
            }
            if (!ProofNodes.equal(subtreeHash, TreeHash.emptyTree())) {
                throw new ProofException(ROOT_MISMATCH, "an empty subtree has the empty tree's hash");
            }
            return;
        }
        long fn = start;
        long sn = end - 1;
        long tn = treeSize - 1;
        if (sn == tn) {
            while (fn != sn) {
                fn >>= 1;
                sn >>= 1;
                tn >>= 1;
            }
        } else {
            while (fn != sn && (sn & 1) == 1) {
                fn >>= 1;
                sn >>= 1;
                tn >>= 1;
            }
        }
        List<byte[]> rest = proof;
        byte[] fr = subtreeHash;
        if (fn != sn) {
            if (proof.isEmpty()) {
                throw new ProofException(WRONG_PROOF_SIZE, "the subtree is not a node of the tree; the proof must rebuild it");
            }
            fr = proof.get(0);
            rest = proof.subList(1, proof.size());
        }
        byte[] sr = fr;
        MessageDigest digest = TreeHash.sha256();
        for (byte[] c : rest) {
            if (tn == 0) {
                throw new ProofException(WRONG_PROOF_SIZE, "the proof is longer than the tree of " + treeSize + " is high");
            }
            if ((sn & 1) == 1 || sn == tn) {
                if (fn < sn) {
                    fr = ProofNodes.node(digest, c, fr);
                }
                sr = ProofNodes.node(digest, c, sr);
                while ((sn & 1) == 0 && sn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                    tn >>= 1;
                }
            } else {
                sr = ProofNodes.node(digest, sr, c);
            }
            fn >>= 1;
            sn >>= 1;
            tn >>= 1;
        }
        if (tn != 0) {
            throw new ProofException(WRONG_PROOF_SIZE, "the proof is shorter than the tree of " + treeSize + " is high");
        }
        if (!ProofNodes.equal(fr, subtreeHash)) {
            throw new ProofException(ROOT_MISMATCH, "the proof does not lead to the subtree's hash");
        }
        if (!ProofNodes.equal(sr, rootHash)) {
            throw new ProofException(ROOT_MISMATCH, "the proof does not lead to the root of the tree of " + treeSize);
        }
    }

    private static void requireSubtree(long start, long end) throws ProofException {
        if (start < 0 || end < start) {
            throw new ProofException(OUT_OF_RANGE, "[" + start + ", " + end + ") is not an interval of leaves");
        }
        if (!MerkleTree.isSubtree(start, end)) {
            throw new ProofException(INVALID_SUBTREE, "[" + start + ", " + end + ") is not a subtree: its start is not aligned to its size");
        }
    }
}

package org.newbornregistry.adapter.audit.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.newbornregistry.adapter.audit.merkle.ProofException.Reason.FROM_EMPTY_TREE;
import static org.newbornregistry.adapter.audit.merkle.ProofException.Reason.OUT_OF_RANGE;
import static org.newbornregistry.adapter.audit.merkle.ProofException.Reason.ROOT_MISMATCH;
import static org.newbornregistry.adapter.audit.merkle.ProofException.Reason.WRONG_PROOF_SIZE;

/**
 * Merkle consistency proofs, RFC 9162 §2.1.4: the hashes that rebuild both an earlier root and a
 * later one from the same nodes, showing that the log of {@code size2} entries starts with the
 * {@code size1} entries an auditor saw before, unchanged. This is what reveals a rewritten,
 * truncated or forked audit log to whoever kept an older checkpoint.
 */
public final class ConsistencyProof {

    private ConsistencyProof() {
    }

    /**
     * The proof {@code PROOF(size1, D[0:size2])} (RFC 9162 §2.1.4.1), lowest node first; empty when
     * the sizes are equal.
     *
     * @throws IllegalArgumentException unless {@code 0 < size1 <= size2 <= tree.size()} or both sizes are 0
     */
    public static List<byte[]> generate(MerkleTree tree, long size1, long size2) {
        if (size1 < 0 || size2 < size1 || size2 > tree.size()) {
            throw new IllegalArgumentException("sizes " + size1 + " and " + size2 + " do not fit a tree of " + tree.size());
        }
        if (size1 == 0 && size2 > 0) {
            throw new IllegalArgumentException("every tree extends the empty tree; there is nothing to prove");
        }
        // Why: SUBPROOF(m, D[start:end], b) walked down iteratively; b says whether the old root is still a node of the new tree.
        List<byte[]> nodes = new ArrayList<>();
        long start = 0;
        long end = size2;
        boolean oldRootIsNode = true;
        while (size1 != end) {
            long middle = start + ProofNodes.split(end - start);
            if (size1 <= middle) {
                nodes.add(tree.subtreeHash(middle, end));
                end = middle;
            } else {
                nodes.add(tree.subtreeHash(start, middle));
                start = middle;
                oldRootIsNode = false;
            }
        }
        if (!oldRootIsNode) {
            nodes.add(tree.subtreeHash(start, end));
        }
        Collections.reverse(nodes);
        return nodes;
    }

    /**
     * Checks that the tree of {@code size2} leaves with root {@code root2} extends the tree of
     * {@code size1} leaves with root {@code root1} (RFC 9162 §2.1.4.2).
     *
     * <p>Equal sizes need an empty proof and equal roots (for size 0, the empty tree's root). A
     * proof from size 0 to a larger size is rejected: it would prove nothing about {@code root2}.
     *
     * @throws ProofException when it is not shown
     */
    public static void verify(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) throws ProofException {
        if (size1 < 0 || size2 < size1) {
            throw new ProofException(OUT_OF_RANGE, "size " + size1 + " is not a size before " + size2);
        }
        ProofNodes.requireWellFormed(proof);
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new ProofException(WRONG_PROOF_SIZE, "equal sizes need an empty proof");
            }
            if (!ProofNodes.equal(root1, root2) || size1 == 0 && !ProofNodes.equal(root1, TreeHash.emptyTree())) {
                throw new ProofException(ROOT_MISMATCH, "trees of equal size " + size1 + " have different roots");
            }
            return;
        }
        if (size1 == 0) {
            throw new ProofException(FROM_EMPTY_TREE, "a proof from the empty tree proves nothing about the tree of " + size2);
        }
        if (proof.isEmpty()) {
            throw new ProofException(WRONG_PROOF_SIZE, "sizes " + size1 + " and " + size2 + " need a non-empty proof");
        }
        List<byte[]> path = proof;
        if (Long.bitCount(size1) == 1) {
            // Why: a tree of 2^k leaves is a node of every larger tree, so its root is the first node and is left out.
            path = new ArrayList<>(proof.size() + 1);
            path.add(root1);
            path.addAll(proof);
        }
        MessageDigest digest = TreeHash.sha256();
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                throw new ProofException(WRONG_PROOF_SIZE, "the proof is longer than sizes " + size1 + " and " + size2 + " call for");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = ProofNodes.node(digest, c, fr);
                sr = ProofNodes.node(digest, c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = ProofNodes.node(digest, sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException(WRONG_PROOF_SIZE, "the proof is shorter than sizes " + size1 + " and " + size2 + " call for");
        }
        if (!ProofNodes.equal(fr, root1)) {
            throw new ProofException(ROOT_MISMATCH, "the proof does not lead to the root of size " + size1);
        }
        if (!ProofNodes.equal(sr, root2)) {
            throw new ProofException(ROOT_MISMATCH, "the proof does not lead to the root of size " + size2);
        }
    }
}

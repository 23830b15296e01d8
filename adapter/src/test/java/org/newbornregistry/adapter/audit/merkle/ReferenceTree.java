package org.newbornregistry.adapter.audit.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree definitions written the way RFC 9162 §2.1 and draft-ietf-plants-merkle-tree-certs
 * §4.4.1 write them: recursive, over lists of leaf hashes, rehashing everything. Slow, and too plain
 * to be wrong in the same way as the production code, which it checks.
 */
final class ReferenceTree {

    private ReferenceTree() {
    }

    /** {@code MTH(D)}, RFC 9162 §2.1.1. */
    static byte[] mth(List<byte[]> d) {
        int n = d.size();
        if (n == 0) {
            return TreeHash.emptyTree();
        }
        if (n == 1) {
            return d.get(0);
        }
        int k = k(n);
        return TreeHash.node(mth(d.subList(0, k)), mth(d.subList(k, n)));
    }

    /** {@code PATH(m, D)}, RFC 9162 §2.1.3.1. */
    static List<byte[]> path(int m, List<byte[]> d) {
        int n = d.size();
        if (n == 1) {
            return new ArrayList<>();
        }
        int k = k(n);
        List<byte[]> path;
        if (m < k) {
            path = path(m, d.subList(0, k));
            path.add(mth(d.subList(k, n)));
        } else {
            path = path(m - k, d.subList(k, n));
            path.add(mth(d.subList(0, k)));
        }
        return path;
    }

    /** {@code PROOF(m, D)}, RFC 9162 §2.1.4.1. */
    static List<byte[]> proof(int m, List<byte[]> d) {
        return subproof(m, d, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
        int n = d.size();
        if (m == n) {
            List<byte[]> proof = new ArrayList<>();
            if (!b) {
                proof.add(mth(d));
            }
            return proof;
        }
        int k = k(n);
        List<byte[]> proof;
        if (m <= k) {
            proof = subproof(m, d.subList(0, k), b);
            proof.add(mth(d.subList(k, n)));
        } else {
            proof = subproof(m - k, d.subList(k, n), false);
            proof.add(mth(d.subList(0, k)));
        }
        return proof;
    }

    /** {@code SUBTREE_PROOF(start, end, D)}, draft-ietf-plants-merkle-tree-certs §4.4.1. */
    static List<byte[]> subtreeProof(int start, int end, List<byte[]> d) {
        return start == end ? new ArrayList<>() : subtreeSubproof(start, end, d, true);
    }

    private static List<byte[]> subtreeSubproof(int start, int end, List<byte[]> d, boolean b) {
        int n = d.size();
        if (start == 0 && end == n) {
            List<byte[]> proof = new ArrayList<>();
            if (!b) {
                proof.add(mth(d));
            }
            return proof;
        }
        int k = k(n);
        List<byte[]> proof;
        if (end <= k) {
            proof = subtreeSubproof(start, end, d.subList(0, k), b);
            proof.add(mth(d.subList(k, n)));
        } else if (k <= start) {
            proof = subtreeSubproof(start - k, end - k, d.subList(k, n), b);
            proof.add(mth(d.subList(0, k)));
        } else {
            proof = subtreeSubproof(0, end - k, d.subList(k, n), false);
            proof.add(mth(d.subList(0, k)));
        }
        return proof;
    }

    /** The largest power of two smaller than n (n > 1). */
    private static int k(int n) {
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }
}

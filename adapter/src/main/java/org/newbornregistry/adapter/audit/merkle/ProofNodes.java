package org.newbornregistry.adapter.audit.merkle;

import java.security.MessageDigest;
import java.util.List;

import static org.newbornregistry.adapter.audit.merkle.ProofException.Reason.MALFORMED;

/**
 * What the verifiers share: the checks on untrusted hashes, and hashing that rejects instead of
 * throwing unchecked. A value that enters a node hash must be a 32-byte hash (otherwise
 * {@code left || right} could be split another way); a root that is only compared need only be
 * equal.
 */
final class ProofNodes {

    private ProofNodes() {
    }

    /** Rejects a missing proof or a node that is not a 32-byte hash. */
    static void requireWellFormed(List<byte[]> proof) throws ProofException {
        if (proof == null) {
            throw new ProofException(MALFORMED, "the proof is missing");
        }
        for (int i = 0; i < proof.size(); i++) {
            if (!TreeHash.isHash(proof.get(i))) {
                throw new ProofException(MALFORMED, "proof node " + i + " is not a " + TreeHash.SIZE + "-byte hash");
            }
        }
    }

    /** Rejects a leaf hash that is not a 32-byte hash. */
    static void requireHash(byte[] hash, String what) throws ProofException {
        if (!TreeHash.isHash(hash)) {
            throw new ProofException(MALFORMED, "the " + what + " is not a " + TreeHash.SIZE + "-byte hash");
        }
    }

    /** {@code SHA-256(0x01 || left || right)}, or a rejection when either is not a 32-byte hash. */
    static byte[] node(MessageDigest digest, byte[] left, byte[] right) throws ProofException {
        if (!TreeHash.isHash(left) || !TreeHash.isHash(right)) {
            throw new ProofException(MALFORMED, "a hash entering a node is not a " + TreeHash.SIZE + "-byte hash");
        }
        return TreeHash.node(digest, left, right);
    }

    /** Whether two hashes are equal, in time independent of where they differ; false when either is null. */
    static boolean equal(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    /** The largest power of two strictly below {@code n}, for {@code n >= 2}: where RFC 9162 splits a tree of n leaves. */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }
}

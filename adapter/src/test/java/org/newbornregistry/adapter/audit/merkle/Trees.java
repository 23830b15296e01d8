package org.newbornregistry.adapter.audit.merkle;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Random trees and ways to spoil a proof, for the property-style tests. */
final class Trees {

    private Trees() {
    }

    /** Leaf hashes of {@code n} distinct made-up entries (no personal data: counters and random bytes). */
    static List<byte[]> leaves(Random random, int n) {
        List<byte[]> leaves = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] entry = new byte[16];
            random.nextBytes(entry);
            leaves.add(TreeHash.leaf(concat(("entry " + i + ":").getBytes(StandardCharsets.US_ASCII), entry)));
        }
        return leaves;
    }

    /** Hex strings, so that AssertJ compares and shows hashes by value. */
    static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HexFormat.of()::formatHex).toList();
    }

    /** A copy of {@code hash} with one bit of byte {@code position} flipped. */
    static byte[] flipped(byte[] hash, int position, int bit) {
        byte[] copy = hash.clone();
        copy[position] ^= (byte) (1 << bit);
        return copy;
    }

    /** A copy of {@code proof} with node {@code node} altered in one bit of a random byte. */
    static List<byte[]> withFlippedNode(List<byte[]> proof, int node, Random random) {
        List<byte[]> copy = new ArrayList<>(proof);
        copy.set(node, flipped(proof.get(node), random.nextInt(TreeHash.SIZE), random.nextInt(8)));
        return copy;
    }

    /** A copy of {@code proof} without node {@code node}. */
    static List<byte[]> without(List<byte[]> proof, int node) {
        List<byte[]> copy = new ArrayList<>(proof);
        copy.remove(node);
        return copy;
    }

    /** A copy of {@code proof} with {@code extra} inserted at {@code at}. */
    static List<byte[]> with(List<byte[]> proof, int at, byte[] extra) {
        List<byte[]> copy = new ArrayList<>(proof);
        copy.add(at, extra);
        return copy;
    }

    /** Asserts that {@code check} rejects with a {@link ProofException}, nothing else, and returns it. */
    static ProofException rejection(ThrowingCallable check) {
        Throwable thrown = catchThrowable(check);
        assertThat(thrown).isInstanceOf(ProofException.class);
        return (ProofException) thrown;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}

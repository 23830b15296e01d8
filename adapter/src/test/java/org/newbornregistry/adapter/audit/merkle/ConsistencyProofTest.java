package org.newbornregistry.adapter.audit.merkle;

import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.audit.merkle.ProofException.Reason;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.newbornregistry.adapter.audit.merkle.Trees.rejection;

class ConsistencyProofTest {

    @Test
    void shouldGenerateTheProofsRfc9162Defines() {
        // given
        List<byte[]> leaves = Trees.leaves(new Random(21), 64);
        MerkleTree tree = MerkleTree.of(leaves);

        for (int size2 = 1; size2 <= 64; size2++) {
            for (int size1 = 1; size1 <= size2; size1++) {
                // when
                List<byte[]> proof = ConsistencyProof.generate(tree, size1, size2);

                // then
                assertThat(Trees.hex(proof)).as("PROOF(%d, D[0:%d])", size1, size2)
                        .isEqualTo(Trees.hex(ReferenceTree.proof(size1, leaves.subList(0, size2))));
            }
        }
    }

    @Test
    void shouldVerifyProofsBetweenAllSizesUpTo64AndSampledSizesUpTo300() throws ProofException {
        Random random = new Random(22);
        List<byte[]> leaves = Trees.leaves(random, 300);
        MerkleTree tree = MerkleTree.of(leaves);
        int checked = 0;
        for (int size2 = 1; size2 <= 300; size2++) {
            for (int size1 : size2 <= 64 ? allSizes(size2) : sampleSizes(random, size2)) {
                // given
                byte[] root1 = tree.rootHash(size1);
                byte[] root2 = tree.rootHash(size2);

                // when
                List<byte[]> proof = ConsistencyProof.generate(tree, size1, size2);

                // then
                ConsistencyProof.verify(size1, size2, root1, root2, proof);
                checked++;
            }
        }
        assertThat(checked).as("pairs of sizes").isGreaterThan(4000);
    }

    @Test
    void shouldRejectCorruptedProofWhenAByteIsFlippedANodeDroppedOrAddedOrTheFirstSizeChanged() {
        // sizes below size2 only: equal sizes have an empty proof, nothing to spoil but the roots (checked below)
        Random random = new Random(23);
        List<byte[]> leaves = Trees.leaves(random, 300);
        MerkleTree tree = MerkleTree.of(leaves);
        int checked = 0;
        for (int size2 = 2; size2 <= 300; size2++) {
            int power = Integer.highestOneBit(size2 - 1);
            for (int size1 : new TreeSet<>(List.of(power, size2 - 1, 1 + random.nextInt(size2 - 1), 1 + random.nextInt(size2 - 1)))) {
                // given
                byte[] root1 = tree.rootHash(size1);
                byte[] root2 = tree.rootHash(size2);
                List<byte[]> proof = ConsistencyProof.generate(tree, size1, size2);
                long m = size1;
                long n = size2;

                // when / then: any node altered in one bit
                for (int node = 0; node < proof.size(); node++) {
                    List<byte[]> altered = Trees.withFlippedNode(proof, node, random);
                    rejection(() -> ConsistencyProof.verify(m, n, root1, root2, altered));
                }
                // a node dropped, one added
                for (int node = 0; node < proof.size(); node++) {
                    List<byte[]> shorter = Trees.without(proof, node);
                    rejection(() -> ConsistencyProof.verify(m, n, root1, root2, shorter));
                }
                for (int at : new int[] {0, proof.size() / 2, proof.size()}) {
                    List<byte[]> longer = Trees.with(proof, at, random.nextBoolean() ? root1 : root2);
                    rejection(() -> ConsistencyProof.verify(m, n, root1, root2, longer));
                }
                // the first size off by one, either root altered, the roots swapped
                rejection(() -> ConsistencyProof.verify(m - 1, n, root1, root2, proof));
                rejection(() -> ConsistencyProof.verify(m + 1, n, root1, root2, proof));
                rejection(() -> ConsistencyProof.verify(m, n, Trees.flipped(root1, random.nextInt(32), random.nextInt(8)), root2, proof));
                rejection(() -> ConsistencyProof.verify(m, n, root1, Trees.flipped(root2, random.nextInt(32), random.nextInt(8)), proof));
                rejection(() -> ConsistencyProof.verify(m, n, root2, root1, proof));
                checked++;
            }
        }
        assertThat(checked).as("proofs spoiled").isGreaterThan(800);
    }

    @Test
    void shouldAcceptEqualSizesOnlyWithEqualRootsAndAnEmptyProof() {
        // given
        MerkleTree tree = MerkleTree.of(Trees.leaves(new Random(24), 9));
        byte[] root = tree.rootHash();
        byte[] empty = TreeHash.emptyTree();

        // when / then
        assertThat(ConsistencyProof.generate(tree, 9, 9)).isEmpty();
        assertThatCode(() -> ConsistencyProof.verify(9, 9, root, root, List.of())).doesNotThrowAnyException();
        assertThatCode(() -> ConsistencyProof.verify(0, 0, empty, empty, List.of())).doesNotThrowAnyException();
        assertThat(rejection(() -> ConsistencyProof.verify(9, 9, root, tree.rootHash(8), List.of())).reason()).isEqualTo(Reason.ROOT_MISMATCH);
        assertThat(rejection(() -> ConsistencyProof.verify(9, 9, root, root, List.of(root))).reason()).isEqualTo(Reason.WRONG_PROOF_SIZE);
        assertThat(rejection(() -> ConsistencyProof.verify(0, 0, root, root, List.of())).reason())
                .as("the empty tree has one root").isEqualTo(Reason.ROOT_MISMATCH);
    }

    @Test
    void shouldRejectAProofFromTheEmptyTreeOrBackwards() {
        // given
        MerkleTree tree = MerkleTree.of(Trees.leaves(new Random(25), 4));
        byte[] empty = TreeHash.emptyTree();

        // when / then
        assertThat(rejection(() -> ConsistencyProof.verify(0, 4, empty, tree.rootHash(), List.of())).reason()).isEqualTo(Reason.FROM_EMPTY_TREE);
        assertThat(rejection(() -> ConsistencyProof.verify(4, 3, tree.rootHash(), tree.rootHash(3), List.of())).reason())
                .isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(rejection(() -> ConsistencyProof.verify(-1, 3, empty, tree.rootHash(3), List.of())).reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThatThrownBy(() -> ConsistencyProof.generate(tree, 0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsistencyProof.generate(tree, 3, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldLeaveOutTheOldRootWhenItsSizeIsAPowerOfTwo() throws ProofException {
        // given: a tree of 2^k leaves is a node of every larger tree, so the verifier supplies its root
        List<byte[]> leaves = Trees.leaves(new Random(26), 64);
        MerkleTree tree = MerkleTree.of(leaves);

        for (int size1 : new int[] {1, 2, 4, 8, 16, 32}) {
            // when
            List<byte[]> proof = ConsistencyProof.generate(tree, size1, 64);

            // then
            assertThat(Trees.hex(proof)).doesNotContain(Trees.hex(List.of(tree.rootHash(size1))).get(0));
            ConsistencyProof.verify(size1, 64, tree.rootHash(size1), tree.rootHash(), proof);
            byte[] wrongRoot1 = tree.rootHash(size1 + 1);
            assertThat(rejection(() -> ConsistencyProof.verify(size1, 64, wrongRoot1, tree.rootHash(), proof)).reason())
                    .isEqualTo(Reason.ROOT_MISMATCH);
        }
    }

    @Test
    void shouldRejectMalformedHashesWithoutThrowingAnythingElse() {
        // given
        MerkleTree tree = MerkleTree.of(Trees.leaves(new Random(27), 7));
        List<byte[]> proof = ConsistencyProof.generate(tree, 4, 7);
        List<byte[]> withNull = new ArrayList<>(proof);
        withNull.set(0, null);

        // when / then
        assertThat(rejection(() -> ConsistencyProof.verify(4, 7, tree.rootHash(4), tree.rootHash(), null)).reason()).isEqualTo(Reason.MALFORMED);
        assertThat(rejection(() -> ConsistencyProof.verify(4, 7, tree.rootHash(4), tree.rootHash(), withNull)).reason()).isEqualTo(Reason.MALFORMED);
        assertThat(rejection(() -> ConsistencyProof.verify(4, 7, new byte[12], tree.rootHash(), proof)).reason())
                .as("the old root of a power-of-two size enters a node").isEqualTo(Reason.MALFORMED);
        assertThat(rejection(() -> ConsistencyProof.verify(4, 7, null, tree.rootHash(), proof)).reason()).isEqualTo(Reason.MALFORMED);
        assertThat(rejection(() -> ConsistencyProof.verify(5, 7, null, tree.rootHash(), ConsistencyProof.generate(tree, 5, 7))).reason())
                .isEqualTo(Reason.ROOT_MISMATCH);
    }

    private static List<Integer> allSizes(int size2) {
        List<Integer> sizes = new ArrayList<>();
        for (int size1 = 1; size1 <= size2; size1++) {
            sizes.add(size1);
        }
        return sizes;
    }

    /** Sizes 1 and size2, the powers of two below size2, size2 - 1, and a few random ones. */
    private static TreeSet<Integer> sampleSizes(Random random, int size2) {
        TreeSet<Integer> sizes = new TreeSet<>(List.of(1, size2, Math.max(1, size2 - 1)));
        for (int power = 1; power < size2; power *= 2) {
            sizes.add(power);
        }
        for (int i = 0; i < 4; i++) {
            sizes.add(1 + random.nextInt(size2));
        }
        return sizes;
    }
}

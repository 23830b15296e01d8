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

class InclusionProofTest {

    @Test
    void shouldGenerateTheAuditPathsRfc9162Defines() {
        // given
        List<byte[]> leaves = Trees.leaves(new Random(11), 64);
        MerkleTree tree = MerkleTree.of(leaves);

        for (int size = 1; size <= 64; size++) {
            for (int index = 0; index < size; index++) {
                // when
                List<byte[]> proof = InclusionProof.generate(tree, index, size);

                // then
                assertThat(Trees.hex(proof)).as("PATH(%d, D[0:%d])", index, size)
                        .isEqualTo(Trees.hex(ReferenceTree.path(index, leaves.subList(0, size))));
            }
        }
    }

    @Test
    void shouldVerifyEveryPathOfRandomTreesOfUpTo300Leaves() throws ProofException {
        Random random = new Random(12);
        for (int size = 1; size <= 300; size++) {
            // given
            List<byte[]> leaves = Trees.leaves(random, size);
            MerkleTree tree = MerkleTree.of(leaves);
            byte[] root = tree.rootHash();

            for (int index = 0; index < size; index++) {
                // when
                List<byte[]> proof = InclusionProof.generate(tree, index, size);

                // then
                InclusionProof.verify(index, size, leaves.get(index), proof, root);
            }
        }
    }

    @Test
    void shouldRejectCorruptedProofWhenAByteIsFlippedANodeDroppedOrAddedOrTheIndexChanged() {
        Random random = new Random(13);
        int checked = 0;
        for (int size = 1; size <= 300; size++) {
            // given
            List<byte[]> leaves = Trees.leaves(random, size);
            MerkleTree tree = MerkleTree.of(leaves);
            byte[] root = tree.rootHash();
            for (int index : sampleIndices(random, size)) {
                byte[] leaf = leaves.get(index);
                List<byte[]> proof = InclusionProof.generate(tree, index, size);
                long i = index;
                long n = size;

                // when / then: any node altered in one bit
                for (int node = 0; node < proof.size(); node++) {
                    List<byte[]> altered = Trees.withFlippedNode(proof, node, random);
                    rejection(() -> InclusionProof.verify(i, n, leaf, altered, root));
                }
                // a node dropped, one added at either end or in the middle
                for (int node = 0; node < proof.size(); node++) {
                    List<byte[]> shorter = Trees.without(proof, node);
                    rejection(() -> InclusionProof.verify(i, n, leaf, shorter, root));
                }
                for (int at : new int[] {0, proof.size() / 2, proof.size()}) {
                    List<byte[]> longer = Trees.with(proof, at, random.nextBoolean() ? root : leaf);
                    rejection(() -> InclusionProof.verify(i, n, leaf, longer, root));
                }
                // another index, another leaf, another root
                if (index > 0) {
                    rejection(() -> InclusionProof.verify(i - 1, n, leaf, proof, root));
                }
                if (index + 1 < size) {
                    rejection(() -> InclusionProof.verify(i + 1, n, leaf, proof, root));
                }
                rejection(() -> InclusionProof.verify(i, n, Trees.flipped(leaf, random.nextInt(32), random.nextInt(8)), proof, root));
                rejection(() -> InclusionProof.verify(i, n, leaf, proof, Trees.flipped(root, random.nextInt(32), random.nextInt(8))));
                checked++;
            }
        }
        assertThat(checked).as("proofs spoiled").isGreaterThan(1000);
    }

    @Test
    void shouldRejectAnIndexOutsideTheTree() {
        byte[] leaf = TreeHash.leaf(new byte[] {1});
        assertThat(rejection(() -> InclusionProof.verify(1, 1, leaf, List.of(), leaf)).reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(rejection(() -> InclusionProof.verify(0, 0, leaf, List.of(), leaf)).reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(rejection(() -> InclusionProof.verify(-1, 4, leaf, List.of(), leaf)).reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(rejection(() -> InclusionProof.verify(Long.MAX_VALUE, Long.MAX_VALUE, leaf, List.of(), leaf)).reason())
                .isEqualTo(Reason.OUT_OF_RANGE);
    }

    @Test
    void shouldRejectMalformedHashesWithoutThrowingAnythingElse() {
        // given
        List<byte[]> leaves = Trees.leaves(new Random(14), 5);
        MerkleTree tree = MerkleTree.of(leaves);
        List<byte[]> proof = InclusionProof.generate(tree, 1, 5);
        List<byte[]> withNull = new ArrayList<>(proof);
        withNull.set(1, null);
        List<byte[]> withShortNode = new ArrayList<>(proof);
        withShortNode.set(2, new byte[31]);

        // when / then
        assertThat(rejection(() -> InclusionProof.verify(1, 5, null, proof, tree.rootHash())).reason()).isEqualTo(Reason.MALFORMED);
        assertThat(rejection(() -> InclusionProof.verify(1, 5, new byte[0], proof, tree.rootHash())).reason()).isEqualTo(Reason.MALFORMED);
        assertThat(rejection(() -> InclusionProof.verify(1, 5, leaves.get(1), null, tree.rootHash())).reason()).isEqualTo(Reason.MALFORMED);
        assertThat(rejection(() -> InclusionProof.verify(1, 5, leaves.get(1), withNull, tree.rootHash())).reason()).isEqualTo(Reason.MALFORMED);
        assertThat(rejection(() -> InclusionProof.verify(1, 5, leaves.get(1), withShortNode, tree.rootHash())).reason()).isEqualTo(Reason.MALFORMED);
        assertThat(rejection(() -> InclusionProof.verify(1, 5, leaves.get(1), proof, null)).reason()).isEqualTo(Reason.ROOT_MISMATCH);
        assertThatCode(() -> InclusionProof.verify(1, 5, leaves.get(1), proof, tree.rootHash())).doesNotThrowAnyException();
    }

    @Test
    void shouldTellATooLongFromATooShortPathAndAWrongRoot() {
        // given
        List<byte[]> leaves = Trees.leaves(new Random(15), 8);
        MerkleTree tree = MerkleTree.of(leaves);
        List<byte[]> proof = InclusionProof.generate(tree, 3, 8);

        // when / then
        assertThat(rejection(() -> InclusionProof.verify(3, 8, leaves.get(3), Trees.with(proof, 3, leaves.get(0)), tree.rootHash())).reason())
                .isEqualTo(Reason.WRONG_PROOF_SIZE);
        assertThat(rejection(() -> InclusionProof.verify(3, 8, leaves.get(3), Trees.without(proof, 2), tree.rootHash())).reason())
                .isEqualTo(Reason.WRONG_PROOF_SIZE);
        assertThat(rejection(() -> InclusionProof.verify(3, 8, leaves.get(3), proof, tree.rootHash(7))).reason())
                .isEqualTo(Reason.ROOT_MISMATCH);
    }

    @Test
    void shouldProveLeavesOfEarlierTreeSizesAgainstTheirRoots() throws ProofException {
        // given: the log has grown to 21 entries; an auditor holds the checkpoint of size 13
        List<byte[]> leaves = Trees.leaves(new Random(16), 21);
        MerkleTree tree = MerkleTree.of(leaves);

        // when
        List<byte[]> proof = InclusionProof.generate(tree, 12, 13);

        // then
        InclusionProof.verify(12, 13, leaves.get(12), proof, tree.rootHash(13));
        assertThatThrownBy(() -> InclusionProof.generate(tree, 13, 13)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InclusionProof.generate(tree, 0, 22)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The first and last index, and a few random ones between. */
    private static TreeSet<Integer> sampleIndices(Random random, int size) {
        TreeSet<Integer> indices = new TreeSet<>(List.of(0, size - 1));
        for (int i = 0; i < 3; i++) {
            indices.add(random.nextInt(size));
        }
        return indices;
    }
}

package org.newbornregistry.adapter.audit.merkle;

import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.audit.merkle.ProofException.Reason;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.newbornregistry.adapter.audit.merkle.Trees.rejection;

class SubtreeProofTest {

    @Test
    void shouldKnowSubtreesByTheAlignmentOfTheirStart() {
        // the draft's own examples: [4, 8) and [8, 13) are subtrees, [7, 9) is not
        assertThat(MerkleTree.isSubtree(4, 8)).isTrue();
        assertThat(MerkleTree.isSubtree(8, 13)).isTrue();
        assertThat(MerkleTree.isSubtree(7, 9)).isFalse();
        // [0, x) and [x, x) always are; a start must be a multiple of BIT_CEIL(size)
        assertThat(MerkleTree.isSubtree(0, 1_000_003)).isTrue();
        assertThat(MerkleTree.isSubtree(13, 13)).isTrue();
        assertThat(MerkleTree.isSubtree(3, 5)).isFalse();
        assertThat(MerkleTree.isSubtree(2, 6)).isFalse();
        assertThat(MerkleTree.isSubtree(1L << 62, Long.MAX_VALUE)).isTrue();
        assertThat(MerkleTree.isSubtree(1, Long.MAX_VALUE)).isFalse();
        assertThat(MerkleTree.isSubtree(0, Long.MAX_VALUE)).isTrue();
        assertThat(MerkleTree.isSubtree(2, 1)).isFalse();
        assertThat(MerkleTree.isSubtree(-2, 1)).isFalse();
    }

    @Test
    void shouldGenerateTheConsistencyProofsTheDraftDefines() {
        // given
        List<byte[]> leaves = Trees.leaves(new Random(31), 32);
        MerkleTree tree = MerkleTree.of(leaves);

        for (int size = 0; size <= 32; size++) {
            for (Subtree subtree : subtrees(size)) {
                // when
                List<byte[]> proof = SubtreeProof.generateConsistency(tree, subtree.start(), subtree.end(), size);

                // then
                assertThat(Trees.hex(proof)).as("SUBTREE_PROOF(%d, %d, D[0:%d])", subtree.start(), subtree.end(), size)
                        .isEqualTo(Trees.hex(ReferenceTree.subtreeProof(subtree.start(), subtree.end(), leaves.subList(0, size))));
            }
        }
    }

    @Test
    void shouldMeetTheRfcProofsWhereTheDraftSaysTheyAreTheSame() {
        // given
        List<byte[]> leaves = Trees.leaves(new Random(32), 32);
        MerkleTree tree = MerkleTree.of(leaves);

        for (int size = 1; size <= 32; size++) {
            for (int m = 1; m <= size; m++) {
                // when / then: SUBTREE_PROOF(0, end, D_n) = PROOF(end, D_n)
                assertThat(Trees.hex(SubtreeProof.generateConsistency(tree, 0, m, size)))
                        .isEqualTo(Trees.hex(ConsistencyProof.generate(tree, m, size)));
            }
            for (int index = 0; index < size; index++) {
                // SUBTREE_PROOF(start, start + 1, D_n) = PATH(start, D_n)
                assertThat(Trees.hex(SubtreeProof.generateConsistency(tree, index, index + 1, size)))
                        .isEqualTo(Trees.hex(InclusionProof.generate(tree, index, size)));
            }
        }
    }

    @Test
    void shouldVerifyEverySubtreeOfTreesUpTo64LeavesAndEveryLeafInThem() throws ProofException {
        List<byte[]> leaves = Trees.leaves(new Random(33), 64);
        MerkleTree tree = MerkleTree.of(leaves);
        int checked = 0;
        for (int size = 1; size <= 64; size++) {
            byte[] root = tree.rootHash(size);
            for (Subtree subtree : subtrees(size)) {
                // given
                byte[] subtreeHash = tree.subtreeHash(subtree.start(), subtree.end());

                // when
                List<byte[]> proof = SubtreeProof.generateConsistency(tree, subtree.start(), subtree.end(), size);

                // then
                SubtreeProof.verifyConsistency(subtree.start(), subtree.end(), size, subtreeHash, root, proof);
                if (subtree.end() == size) {
                    for (long index = subtree.start(); index < subtree.end(); index++) {
                        List<byte[]> path = SubtreeProof.generateInclusion(tree, index, subtree.start(), subtree.end());
                        SubtreeProof.verifyInclusion(index, subtree.start(), subtree.end(), leaves.get((int) index), path, subtreeHash);
                    }
                }
                checked++;
            }
        }
        assertThat(checked).as("subtrees checked").isGreaterThan(5000);
    }

    @Test
    void shouldRejectCorruptedProofWhenAByteIsFlippedANodeDroppedOrAddedOrTheSubtreeMoved() {
        Random random = new Random(34);
        List<byte[]> leaves = Trees.leaves(random, 300);
        MerkleTree tree = MerkleTree.of(leaves);
        int checked = 0;
        for (int size = 2; size <= 300; size++) {
            byte[] root = tree.rootHash(size);
            List<Subtree> subtrees = subtrees(size);
            for (int pick = 0; pick < 4; pick++) {
                Subtree subtree = subtrees.get(random.nextInt(subtrees.size()));
                long start = subtree.start();
                long end = subtree.end();
                if (start == end || start == 0 && end == size) {
                    continue; // empty subtrees and the whole tree have empty proofs, checked elsewhere
                }
                // given
                byte[] subtreeHash = tree.subtreeHash(start, end);
                List<byte[]> proof = SubtreeProof.generateConsistency(tree, start, end, size);
                long n = size;

                // when / then: any node altered in one bit, dropped, or one added
                for (int node = 0; node < proof.size(); node++) {
                    List<byte[]> altered = Trees.withFlippedNode(proof, node, random);
                    rejection(() -> SubtreeProof.verifyConsistency(start, end, n, subtreeHash, root, altered));
                    List<byte[]> shorter = Trees.without(proof, node);
                    rejection(() -> SubtreeProof.verifyConsistency(start, end, n, subtreeHash, root, shorter));
                }
                for (int at : new int[] {0, proof.size()}) {
                    List<byte[]> longer = Trees.with(proof, at, random.nextBoolean() ? subtreeHash : root);
                    rejection(() -> SubtreeProof.verifyConsistency(start, end, n, subtreeHash, root, longer));
                }
                // the subtree moved or resized, its hash or the root altered
                rejection(() -> SubtreeProof.verifyConsistency(start, end + 1, n, subtreeHash, root, proof));
                rejection(() -> SubtreeProof.verifyConsistency(start, end - 1, n, subtreeHash, root, proof));
                rejection(() -> SubtreeProof.verifyConsistency(start + (end - start), end + (end - start), n, subtreeHash, root, proof));
                rejection(() -> SubtreeProof.verifyConsistency(start, end, n, Trees.flipped(subtreeHash, random.nextInt(32), random.nextInt(8)), root, proof));
                rejection(() -> SubtreeProof.verifyConsistency(start, end, n, subtreeHash, Trees.flipped(root, random.nextInt(32), random.nextInt(8)), proof));

                // and the inclusion of a leaf in it
                long index = start + random.nextInt((int) (end - start));
                byte[] leaf = leaves.get((int) index);
                List<byte[]> path = SubtreeProof.generateInclusion(tree, index, start, end);
                for (int node = 0; node < path.size(); node++) {
                    List<byte[]> altered = Trees.withFlippedNode(path, node, random);
                    rejection(() -> SubtreeProof.verifyInclusion(index, start, end, leaf, altered, subtreeHash));
                }
                rejection(() -> SubtreeProof.verifyInclusion(index, start, end, leaf, Trees.with(path, 0, leaf), subtreeHash));
                rejection(() -> SubtreeProof.verifyInclusion(index, start, end, leaf, path, root));
                if (index + 1 < end) {
                    rejection(() -> SubtreeProof.verifyInclusion(index + 1, start, end, leaf, path, subtreeHash));
                }
                checked++;
            }
        }
        assertThat(checked).as("proofs spoiled").isGreaterThan(800);
    }

    @Test
    void shouldAcceptAnEmptySubtreeOnlyWithTheEmptyTreesHashAndAnEmptyProof() {
        // given
        MerkleTree tree = MerkleTree.of(Trees.leaves(new Random(35), 6));
        byte[] empty = TreeHash.emptyTree();

        // when / then: it says nothing about the root, which is not looked at
        assertThat(SubtreeProof.generateConsistency(tree, 4, 4, 6)).isEmpty();
        assertThatCode(() -> SubtreeProof.verifyConsistency(4, 4, 6, empty, tree.rootHash(), List.of())).doesNotThrowAnyException();
        assertThat(rejection(() -> SubtreeProof.verifyConsistency(4, 4, 6, tree.rootHash(), tree.rootHash(), List.of())).reason())
                .isEqualTo(Reason.ROOT_MISMATCH);
        assertThat(rejection(() -> SubtreeProof.verifyConsistency(4, 4, 6, empty, tree.rootHash(), List.of(empty))).reason())
                .isEqualTo(Reason.WRONG_PROOF_SIZE);
    }

    @Test
    void shouldRejectIntervalsThatAreNotSubtreesOfTheTree() {
        // given
        MerkleTree tree = MerkleTree.of(Trees.leaves(new Random(36), 8));
        byte[] root = tree.rootHash();
        byte[] leaf = tree.leafHash(3);

        // when / then
        assertThat(rejection(() -> SubtreeProof.verifyConsistency(2, 5, 8, root, root, List.of())).reason()).isEqualTo(Reason.INVALID_SUBTREE);
        assertThat(rejection(() -> SubtreeProof.verifyConsistency(0, 9, 8, root, root, List.of())).reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(rejection(() -> SubtreeProof.verifyConsistency(2, 1, 8, root, root, List.of())).reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(rejection(() -> SubtreeProof.verifyInclusion(3, 3, 5, leaf, List.of(), root)).reason()).isEqualTo(Reason.INVALID_SUBTREE);
        assertThat(rejection(() -> SubtreeProof.verifyInclusion(3, 0, 2, leaf, List.of(), root)).reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(rejection(() -> SubtreeProof.verifyInclusion(1, 1, 1, leaf, List.of(), root)).reason()).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(rejection(() -> SubtreeProof.verifyInclusion(1, 1, Long.MIN_VALUE + 2, leaf, List.of(), root)).reason())
                .isEqualTo(Reason.OUT_OF_RANGE);
        assertThatThrownBy(() -> SubtreeProof.generateConsistency(tree, 2, 6, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubtreeProof.generateInclusion(tree, 0, 4, 8)).isInstanceOf(IllegalArgumentException.class);
    }

    /** An interval {@code [start, end)} of leaves. */
    private record Subtree(int start, int end) {
    }

    /** Every subtree of a tree of {@code size} leaves, empty ones included. */
    private static List<Subtree> subtrees(int size) {
        List<Subtree> subtrees = new ArrayList<>();
        for (int start = 0; start <= size; start++) {
            for (int end = start; end <= size; end++) {
                if (MerkleTree.isSubtree(start, end)) {
                    subtrees.add(new Subtree(start, end));
                }
            }
        }
        return subtrees;
    }
}

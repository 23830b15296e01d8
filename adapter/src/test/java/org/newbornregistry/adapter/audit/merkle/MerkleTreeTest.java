package org.newbornregistry.adapter.audit.merkle;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MerkleTreeTest {

    @Test
    void shouldHaveTheRecursiveDefinitionsRootAtEverySize() {
        // given
        List<byte[]> leaves = Trees.leaves(new Random(1), 300);

        // when
        MerkleTree tree = MerkleTree.of(leaves);

        // then
        assertThat(tree.size()).isEqualTo(300);
        assertThat(tree.rootHash()).isEqualTo(ReferenceTree.mth(leaves));
        for (int size = 0; size <= 300; size++) {
            assertThat(tree.rootHash(size)).as("root at size %d", size).isEqualTo(ReferenceTree.mth(leaves.subList(0, size)));
        }
        assertThat(tree.leafHash(299)).isEqualTo(leaves.get(299));
    }

    @Test
    void shouldHashEverySubtreeAsTheTreeOfItsOwnEntries() {
        // given
        List<byte[]> leaves = Trees.leaves(new Random(2), 70);
        MerkleTree tree = MerkleTree.of(leaves);

        for (int start = 0; start <= 70; start++) {
            for (int end = start; end <= 70; end++) {
                if (MerkleTree.isSubtree(start, end)) {
                    // when
                    byte[] hash = tree.subtreeHash(start, end);

                    // then
                    assertThat(hash).as("[%d, %d)", start, end).isEqualTo(ReferenceTree.mth(leaves.subList(start, end)));
                }
            }
        }
    }

    @Test
    void shouldRefuseRangesThatAreNotSubtreesOfIt() {
        MerkleTree tree = MerkleTree.of(Trees.leaves(new Random(3), 13));
        assertThatThrownBy(() -> tree.subtreeHash(7, 9)).hasMessageContaining("not a subtree");
        assertThatThrownBy(() -> tree.subtreeHash(8, 14)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.subtreeHash(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.leafHash(13)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.of(List.of(new byte[5]))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldHaveTheEmptyTreesRootWithoutLeaves() {
        MerkleTree empty = MerkleTree.of(List.of());
        assertThat(empty.size()).isZero();
        assertThat(empty.rootHash()).isEqualTo(TreeHash.emptyTree());
    }
}

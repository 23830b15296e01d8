package org.newbornregistry.adapter.audit.merkle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompactRangeTest {

    @Test
    void shouldHaveTheRecursiveDefinitionsRootAfterEveryAppend() {
        // given
        List<byte[]> leaves = Trees.leaves(new Random(9162), 300);
        CompactRange range = new CompactRange();
        assertThat(range.rootHash()).isEqualTo(TreeHash.emptyTree());

        for (int size = 1; size <= leaves.size(); size++) {
            // when
            range.append(leaves.get(size - 1));

            // then
            assertThat(range.size()).isEqualTo(size);
            assertThat(range.rootHash()).as("root of %d leaves", size).isEqualTo(ReferenceTree.mth(leaves.subList(0, size)));
        }
    }

    @Test
    void shouldGiveTheRootOfAListAndOfEachOfItsPrefixes() {
        // given
        List<byte[]> leaves = Trees.leaves(new Random(6962), 130);

        // when / then
        assertThat(CompactRange.rootHash(leaves)).isEqualTo(ReferenceTree.mth(leaves));
        for (int size = 0; size <= leaves.size(); size++) {
            assertThat(CompactRange.rootHash(leaves, size)).as("prefix of %d", size).isEqualTo(ReferenceTree.mth(leaves.subList(0, size)));
        }
        assertThatThrownBy(() -> CompactRange.rootHash(leaves, 131)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompactRange.rootHash(leaves, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldStreamAMillionLeavesToTheRootTheStoredTreeHas() {
        // given: a million leaf hashes (random bytes stand for leaf hashes; hashing entries would only add time)
        Random random = new Random(1_000_000);
        List<byte[]> leaves = new ArrayList<>(1_000_000);
        for (int i = 0; i < 1_000_000; i++) {
            byte[] leaf = new byte[TreeHash.SIZE];
            random.nextBytes(leaf);
            leaves.add(leaf);
        }

        // when
        byte[] streamed = CompactRange.rootHash(leaves);

        // then: two ways of building, one answer
        assertThat(streamed).isEqualTo(MerkleTree.of(leaves).rootHash());
    }

    @Test
    void shouldRefuseALeafThatIsNotAHash() {
        CompactRange range = new CompactRange();
        assertThatThrownBy(() -> range.append(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> range.append(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(range.size()).isZero();
    }
}

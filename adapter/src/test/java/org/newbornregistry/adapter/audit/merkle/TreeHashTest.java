package org.newbornregistry.adapter.audit.merkle;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TreeHashTest {

    @Test
    void shouldPrefixLeavesAndNodesAsRfc9162Says() throws Exception {
        // given
        byte[] entry = "an audit entry".getBytes(StandardCharsets.US_ASCII);
        byte[] left = TreeHash.leaf("left".getBytes(StandardCharsets.US_ASCII));
        byte[] right = TreeHash.leaf("right".getBytes(StandardCharsets.US_ASCII));

        // when
        byte[] leaf = TreeHash.leaf(entry);
        byte[] node = TreeHash.node(left, right);

        // then
        assertThat(leaf).isEqualTo(sha256(new byte[] {0x00}, entry));
        assertThat(node).isEqualTo(sha256(new byte[] {0x01}, left, right));
        assertThat(TreeHash.emptyTree()).isEqualTo(sha256()).hasSize(TreeHash.SIZE);
    }

    @Test
    void shouldKeepALeafFromPassingForANodeWithTheSameBytes() {
        // given: a 64-byte entry that is two hashes side by side
        byte[] left = TreeHash.leaf(new byte[] {1});
        byte[] right = TreeHash.leaf(new byte[] {2});
        byte[] entry = new byte[2 * TreeHash.SIZE];
        System.arraycopy(left, 0, entry, 0, TreeHash.SIZE);
        System.arraycopy(right, 0, entry, TreeHash.SIZE, TreeHash.SIZE);

        // when / then
        assertThat(TreeHash.leaf(entry)).isNotEqualTo(TreeHash.node(left, right));
    }

    @Test
    void shouldRefuseChildrenThatAreNotHashes() {
        byte[] hash = TreeHash.emptyTree();
        assertThatThrownBy(() -> TreeHash.node(new byte[TreeHash.SIZE - 1], hash)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TreeHash.node(hash, new byte[TreeHash.SIZE + 1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TreeHash.node(null, hash)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }
}

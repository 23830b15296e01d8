package org.newbornregistry.adapter.audit.merkle;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EntrySignerTest {

    private static KeyPair pair() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    @Test
    void shouldVerifyAnEntrysSignatureOnlyForItsLeafAndItsKey() throws Exception {
        // given
        KeyPair registry = pair();
        EntrySigner signer = new EntrySigner(registry.getPrivate(), registry.getPublic());
        byte[] leaf = TreeHash.leaf("{\"resourceType\":\"AuditEvent\"}".getBytes(StandardCharsets.UTF_8));
        byte[] other = TreeHash.leaf("{\"resourceType\":\"AuditEvent\",\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8));

        // when
        byte[] signature = signer.sign(leaf);

        // then
        assertThat(EntrySigner.verifies(registry.getPublic(), leaf, signature)).isTrue();
        assertThat(EntrySigner.verifies(registry.getPublic(), other, signature)).isFalse();
        assertThat(EntrySigner.verifies(pair().getPublic(), leaf, signature)).isFalse();
        byte[] flipped = signature.clone();
        flipped[10] ^= 1;
        assertThat(EntrySigner.verifies(registry.getPublic(), leaf, flipped)).isFalse();
        assertThat(EntrySigner.verifies(registry.getPublic(), leaf, new byte[0])).isFalse();
        assertThat(EntrySigner.verifies(registry.getPublic(), leaf, null)).isFalse();
        assertThat(EntrySigner.verifies(registry.getPublic(), new byte[31], signature)).isFalse();
    }

    @Test
    void shouldNotAcceptTheSignatureOfACheckpointNoteAsAnEntrysNorTheOtherWayRound() throws Exception {
        // given: one key signs both, as the registry's checkpoint key does
        KeyPair registry = pair();
        EntrySigner entries = new EntrySigner(registry.getPrivate(), registry.getPublic());
        NoteSigner notes = new NoteSigner("registry.example/audit", registry.getPrivate(), registry.getPublic());
        byte[] leaf = TreeHash.leaf(new byte[]{1});

        // when
        byte[] entrySignature = entries.sign(leaf);

        // then: the raw leaf signed by the note key is not an entry signature
        assertThat(EntrySigner.verifies(registry.getPublic(), leaf, Ed25519Keys.sign(registry.getPrivate(), leaf))).isFalse();
        assertThat(Ed25519Keys.verify(registry.getPublic(), leaf, entrySignature)).isFalse();
        assertThat(notes.sign("registry.example/audit\n1\n" + java.util.Base64.getEncoder().encodeToString(leaf) + "\n"))
                .doesNotContain(java.util.Base64.getEncoder().encodeToString(entrySignature));
    }

    @Test
    void shouldRefuseKeysThatAreNotAPair() throws Exception {
        assertThatThrownBy(() -> new EntrySigner(pair().getPrivate(), pair().getPublic()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

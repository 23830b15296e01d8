package org.newbornregistry.adapter.audit.merkle;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WitnessKeyTest {

    @Test
    void shouldReadAPublishedWitnessKeyAndWriteItBackUnchanged() {
        // when: parse checks that da77ade7 is SHA-256(name || 0x0A || 0x04 || key)[:4]
        WitnessKey key = WitnessKey.parse(WitnessedCheckpointExample.WITNESS_KEY);

        // then
        assertThat(key.name()).isEqualTo("remora.n621.de");
        assertThat(key.keyId()).isEqualTo(0xda77ade7);
        assertThat(key.encoded()).isEqualTo(WitnessedCheckpointExample.WITNESS_KEY);
        assertThat(WitnessKey.of("remora.n621.de", key.publicKey())).isEqualTo(key);
    }

    @Test
    void shouldWriteAGeneratedKeyAsAWitnessKeyAndReadItBack() throws Exception {
        // given
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        // when
        WitnessKey key = WitnessKey.of("witness.example/w1", pair.getPublic());

        // then: the base64 of 0x04 and the key starts with B
        assertThat(key.encoded()).matches("witness\\.example/w1\\+[0-9a-f]{8}\\+B[A-Za-z0-9+/]{43}");
        assertThat(WitnessKey.parse(key.encoded())).isEqualTo(key);
        assertThat(WitnessKey.parse(key.encoded()).publicKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    }

    @Test
    void shouldGiveOneEd25519KeyAnotherKeyIdAsAWitnessKeyThanAsALogKey() throws Exception {
        // given
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        // when
        WitnessKey witness = WitnessKey.of("same.example/name", pair.getPublic());
        VerifierKey log = VerifierKey.of("same.example/name", pair.getPublic());

        // then
        assertThat(witness.keyId()).isNotEqualTo(log.keyId());
    }

    @Test
    void shouldRefuseALogKeyAsAWitnessKeyAndAWitnessKeyAsALogKey() {
        assertThatThrownBy(() -> WitnessKey.parse(GoNoteExample.VERIFIER_KEY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WitnessKey.parse(WitnessedCheckpointExample.LOG_VERIFIER_KEY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerifierKey.parse(WitnessedCheckpointExample.WITNESS_KEY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseEveryOneCharacterChangeOfAWitnessKey() {
        String vkey = WitnessedCheckpointExample.WITNESS_KEY;
        for (int at = 0; at < vkey.length(); at++) {
            String changed = vkey.substring(0, at) + (char) (vkey.charAt(at) + 1) + vkey.substring(at + 1);
            assertThatThrownBy(() -> WitnessKey.parse(changed)).as(changed).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> WitnessKey.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WitnessKey.parse("remora.n621.de+da77ade7")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseNamesWithSpacesOrPlusAndKeysThatAreNotEd25519() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThatThrownBy(() -> WitnessKey.of("witness w1", pair.getPublic())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WitnessKey.of("witness+w1", pair.getPublic())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WitnessKey.of("", pair.getPublic())).isInstanceOf(IllegalArgumentException.class);
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThatThrownBy(() -> WitnessKey.of("witness.example/w1", ec.getPublic())).isInstanceOf(IllegalArgumentException.class);
    }
}

package org.newbornregistry.adapter.audit.merkle;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerifierKeyTest {

    @Test
    void shouldReadTheVerifierKeyOfTheGoNoteExampleAndWriteItBackUnchanged() {
        // when: parse checks that c74f20a3 is SHA-256(name || 0x0A || 0x01 || key)[:4]
        VerifierKey key = VerifierKey.parse(GoNoteExample.VERIFIER_KEY);

        // then
        assertThat(key.name()).isEqualTo("PeterNeumann");
        assertThat(key.keyId()).isEqualTo(0xc74f20a3);
        assertThat(key.encoded()).isEqualTo(GoNoteExample.VERIFIER_KEY);
        assertThat(VerifierKey.of("PeterNeumann", key.publicKey())).isEqualTo(key);
    }

    @Test
    void shouldWriteAGeneratedKeyAsAVerifierKeyAndReadItBack() throws Exception {
        // given
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        // when
        VerifierKey key = VerifierKey.of("registry.example/audit", pair.getPublic());

        // then
        assertThat(key.encoded()).matches("registry\\.example/audit\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}");
        assertThat(VerifierKey.parse(key.encoded())).isEqualTo(key);
        assertThat(VerifierKey.parse(key.encoded()).publicKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    }

    @Test
    void shouldRefuseEveryPieceAndEveryOneCharacterChangeOfAVerifierKey() {
        String vkey = GoNoteExample.VERIFIER_KEY;
        for (int from = 0; from < vkey.length(); from++) {
            for (int to = from + 1; to <= vkey.length(); to++) {
                if (from > 0 || to < vkey.length()) {
                    String piece = vkey.substring(from, to);
                    assertThatThrownBy(() -> VerifierKey.parse(piece)).as(piece).isInstanceOf(IllegalArgumentException.class);
                }
            }
            String changed = vkey.substring(0, from) + (char) (vkey.charAt(from) + 1) + vkey.substring(from + 1);
            assertThatThrownBy(() -> VerifierKey.parse(changed)).as(changed).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldRefuseKeysOfAnotherTypeOrLengthAndNamesWithSpacesOrPlus() throws Exception {
        // given: the Go example's key with the type byte changed, or cut short (key IDs recomputed would not help: checked after)
        assertThatThrownBy(() -> VerifierKey.parse("PeterNeumann+c74f20a3+AhpcmQcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerifierKey.parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerifierKey.parse(null)).isInstanceOf(IllegalArgumentException.class);

        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThatThrownBy(() -> VerifierKey.of("registry audit", pair.getPublic())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerifierKey.of("registry+audit", pair.getPublic())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerifierKey.of("registry\u00a0audit", pair.getPublic())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerifierKey.of("", pair.getPublic())).isInstanceOf(IllegalArgumentException.class);
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThatThrownBy(() -> VerifierKey.of("registry.example/audit", ec.getPublic())).isInstanceOf(IllegalArgumentException.class);
    }
}

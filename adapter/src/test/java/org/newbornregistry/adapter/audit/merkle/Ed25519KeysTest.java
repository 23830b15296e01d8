package org.newbornregistry.adapter.audit.merkle;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Signing and verifying run outside the JDK provider that makes and parses the keys: the
 * signatures must be RFC 8032's, byte for byte, and interchangeable with the JDK's.
 */
class Ed25519KeysTest {

    private static final HexFormat HEX = HexFormat.of();

    /** RFC 8032 section 7.1, TEST 2: secret key, public key, the one-byte message 0x72, signature. */
    private static final String SECRET = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
    private static final String PUBLIC = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    private static final String SIGNATURE = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
            + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

    @Test
    void shouldSignAndVerifyRfc8032Test2() throws Exception {
        // given
        PrivateKey key = privateKey(SECRET);
        byte[] message = HEX.parseHex("72");

        // when
        byte[] signature = Ed25519Keys.sign(key, message);

        // then
        assertThat(HEX.formatHex(signature)).isEqualTo(SIGNATURE);
        assertThat(Ed25519Keys.verify(Ed25519Keys.publicKey(HEX.parseHex(PUBLIC)), message, signature)).isTrue();
        assertThat(Ed25519Keys.verify(Ed25519Keys.publicKey(HEX.parseHex(PUBLIC)), HEX.parseHex("73"), signature)).isFalse();
    }

    @Test
    void shouldMakeTheJdkProvidersSignaturesAndAcceptThem() throws Exception {
        // given
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] message = "nbr-audit-entry/v1\n".getBytes(StandardCharsets.UTF_8);
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(pair.getPrivate());
        jdk.update(message);
        byte[] byJdk = jdk.sign();

        // when
        byte[] ours = Ed25519Keys.sign(pair.getPrivate(), message);

        // then
        assertThat(ours).isEqualTo(byJdk);
        assertThat(Ed25519Keys.verify(pair.getPublic(), message, byJdk)).isTrue();
    }

    @Test
    void shouldAnswerFalseForMalformedSignaturesAndRefuseKeysOfOtherAlgorithms() throws Exception {
        // given
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] message = {1, 2, 3};
        byte[] signature = Ed25519Keys.sign(pair.getPrivate(), message);
        byte[] sAboveTheGroupOrder = signature.clone();
        sAboveTheGroupOrder[63] = (byte) 0xff;
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));

        // then
        assertThat(Ed25519Keys.verify(pair.getPublic(), message, sAboveTheGroupOrder)).isFalse();
        assertThat(Ed25519Keys.verify(pair.getPublic(), message, new byte[64])).isFalse();
        assertThat(Ed25519Keys.verify(pair.getPublic(), message, null)).isFalse();
        assertThatThrownBy(() -> Ed25519Keys.sign(ec.generateKeyPair().getPrivate(), message))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ed25519Keys.sign(KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPrivate(), message))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static PrivateKey privateKey(String seedHex) throws Exception {
        return KeyFactory.getInstance("Ed25519")
                .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, HEX.parseHex(seedHex)));
    }
}

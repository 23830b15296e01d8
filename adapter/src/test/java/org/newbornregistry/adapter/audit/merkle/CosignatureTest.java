package org.newbornregistry.adapter.audit.merkle;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.audit.merkle.NoteException.Reason;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class CosignatureTest {

    private static final String ORIGIN = "registry.example/audit";
    private static final String WITNESS = "witness.example/w1";
    private static final long NOW = 1_760_000_000L;

    @Test
    void shouldVerifyACosignatureAPublicWitnessMadeOfAPublicLog() throws NoteException {
        // given
        WitnessKey key = WitnessKey.parse(WitnessedCheckpointExample.WITNESS_KEY);
        Checkpoint checkpoint = Checkpoint.open(WitnessedCheckpointExample.NOTE, WitnessedCheckpointExample.ORIGIN,
                new NoteVerifier(VerifierKey.parse(WitnessedCheckpointExample.LOG_VERIFIER_KEY)));

        // when
        long timestamp = Cosignature.verify(WitnessedCheckpointExample.WITNESS_COSIGNATURE, key, checkpoint);

        // then
        assertThat(checkpoint.text()).isEqualTo(WitnessedCheckpointExample.TEXT);
        assertThat(timestamp).isEqualTo(WitnessedCheckpointExample.WITNESS_TIMESTAMP);
        Checkpoint clobbered = Checkpoint.of(checkpoint.origin(), 42, checkpoint.rootHash());
        assertThat(rejection(() -> Cosignature.verify(WitnessedCheckpointExample.WITNESS_COSIGNATURE, key, clobbered)))
                .isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void shouldSignACheckpointAsAWitnessAndVerifyItWithTheWitnessKey() throws Exception {
        // given
        KeyPair pair = pair();
        WitnessKey key = WitnessKey.of(WITNESS, pair.getPublic());
        Checkpoint checkpoint = checkpoint(13);

        // when
        String line = Cosignature.sign(checkpoint, NOW, key, pair.getPrivate());

        // then: key ID, 8-byte timestamp and 64-byte signature are 76 bytes, 104 characters of padded base64
        assertThat(line).matches("\u2014 witness\\.example/w1 [A-Za-z0-9+/]{102}==");
        byte[] bytes = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
        assertThat(ByteBuffer.wrap(bytes).getInt()).isEqualTo(key.keyId());
        assertThat(ByteBuffer.wrap(bytes, 4, 8).getLong()).isEqualTo(NOW);
        assertThat(Cosignature.verify(line, key, checkpoint)).isEqualTo(NOW);
        assertThat(Cosignature.verify(Cosignature.sign(checkpoint, 0, key, pair.getPrivate()), key, checkpoint)).isZero();
    }

    @Test
    void shouldLeaveTheLogSignatureOfACosignedNoteIntactAndTellTheTwoKindsApart() throws Exception {
        // given: the log and the witness use the same Ed25519 key under the same name, the worst case
        KeyPair pair = pair();
        NoteSigner log = new NoteSigner(ORIGIN, pair.getPrivate(), pair.getPublic());
        WitnessKey witness = WitnessKey.of(ORIGIN, pair.getPublic());
        Checkpoint checkpoint = checkpoint(5);
        String logNote = checkpoint.sign(log);
        String logLine = logNote.substring(logNote.lastIndexOf("\n\u2014 ") + 1, logNote.length() - 1);
        String cosignature = Cosignature.sign(checkpoint, NOW, witness, pair.getPrivate());

        // when / then: the cosigned note still opens with the log's key, which skips the cosignature
        assertThat(Checkpoint.open(logNote + cosignature + "\n", ORIGIN, new NoteVerifier(log.verifierKey()))).isEqualTo(checkpoint);
        assertThat(rejection(() -> Checkpoint.open(checkpoint.text() + "\n" + cosignature + "\n", ORIGIN, new NoteVerifier(log.verifierKey()))))
                .isEqualTo(Reason.UNTRUSTED);
        assertThat(rejection(() -> Cosignature.verify(logLine, witness, checkpoint))).isEqualTo(Reason.UNTRUSTED);
    }

    @Test
    void shouldRejectACosignatureWhoseTimestampOrCheckpointWasChanged() throws Exception {
        // given
        KeyPair pair = pair();
        WitnessKey key = WitnessKey.of(WITNESS, pair.getPublic());
        MerkleTree tree = MerkleTree.of(Trees.leaves(new Random(7), 9));
        Checkpoint checkpoint = Checkpoint.of(ORIGIN, 9, tree.rootHash());
        String line = Cosignature.sign(checkpoint, NOW, key, pair.getPrivate());

        // when / then
        assertThat(rejection(() -> Cosignature.verify(withTimestamp(line, NOW + 1), key, checkpoint))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(rejection(() -> Cosignature.verify(withTimestamp(line, NOW - 1), key, checkpoint))).isEqualTo(Reason.BAD_SIGNATURE);
        for (Checkpoint changed : List.of(Checkpoint.of(ORIGIN, 8, tree.rootHash()), Checkpoint.of(ORIGIN, 9, tree.rootHash(8)),
                Checkpoint.of(ORIGIN + "2", 9, tree.rootHash()), new Checkpoint(ORIGIN, 9, tree.rootHash(), List.of("extension")))) {
            assertThat(rejection(() -> Cosignature.verify(line, key, changed))).as(changed.text()).isEqualTo(Reason.BAD_SIGNATURE);
        }
    }

    @Test
    void shouldRejectACosignatureByAnotherKeyOrUnderAnotherKeyIdOrName() throws Exception {
        // given
        KeyPair pair = pair();
        WitnessKey key = WitnessKey.of(WITNESS, pair.getPublic());
        KeyPair otherPair = pair();
        WitnessKey other = WitnessKey.of(WITNESS, otherPair.getPublic());
        Checkpoint checkpoint = checkpoint(3);
        String line = Cosignature.sign(checkpoint, NOW, key, pair.getPrivate());
        byte[] bytes = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
        bytes[0] ^= 1;
        String otherKeyId = "\u2014 " + WITNESS + " " + Base64.getEncoder().encodeToString(bytes);
        // the right key ID with another key's signature
        String impostor = Cosignature.sign(checkpoint, NOW, other, otherPair.getPrivate());
        byte[] impostorBytes = Base64.getDecoder().decode(impostor.substring(impostor.lastIndexOf(' ') + 1));
        System.arraycopy(key.keyIdBytes(), 0, impostorBytes, 0, 4);
        String impostorUnderOurKeyId = "\u2014 " + WITNESS + " " + Base64.getEncoder().encodeToString(impostorBytes);

        // when / then
        assertThat(rejection(() -> Cosignature.verify(line, other, checkpoint))).isEqualTo(Reason.UNTRUSTED);
        assertThat(rejection(() -> Cosignature.verify(otherKeyId, key, checkpoint))).isEqualTo(Reason.UNTRUSTED);
        assertThat(rejection(() -> Cosignature.verify(line.replace(WITNESS, "witness.example/w2"), key, checkpoint))).isEqualTo(Reason.UNTRUSTED);
        assertThat(rejection(() -> Cosignature.verify(impostorUnderOurKeyId, key, checkpoint))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void shouldRejectSignatureLinesThatAreNotWellFormedCosignatures() throws Exception {
        // given
        KeyPair pair = pair();
        WitnessKey key = WitnessKey.of(WITNESS, pair.getPublic());
        Checkpoint checkpoint = checkpoint(3);
        String line = Cosignature.sign(checkpoint, NOW, key, pair.getPrivate());
        String base64 = line.substring(line.lastIndexOf(' ') + 1);
        byte[] bytes = Base64.getDecoder().decode(base64);
        byte[] keyIdOnlyAndOneByte = new byte[] {bytes[0], bytes[1], bytes[2], bytes[3], 0};
        byte[] withoutTimestamp = new byte[4 + 64];
        System.arraycopy(bytes, 0, withoutTimestamp, 0, 4);
        System.arraycopy(bytes, 12, withoutTimestamp, 4, 64);

        // when / then
        assertThat(rejection(() -> Cosignature.verify(line + "\n", key, checkpoint))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> Cosignature.verify(line.replace("\u2014", "-"), key, checkpoint))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> Cosignature.verify("\u2014 " + WITNESS, key, checkpoint))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> Cosignature.verify(line.replace(base64, base64.substring(1)), key, checkpoint))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> Cosignature.verify(null, key, checkpoint))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> Cosignature.verify(withTimestamp(line, -1), key, checkpoint))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> Cosignature.verify(lineOf(keyIdOnlyAndOneByte), key, checkpoint))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(rejection(() -> Cosignature.verify(lineOf(withoutTimestamp), key, checkpoint))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void shouldReadTheClaimedTimestampOfAWellFormedCosignatureWithoutItsKey() throws Exception {
        // given
        KeyPair pair = pair();
        WitnessKey key = WitnessKey.of(WITNESS, pair.getPublic());
        String line = Cosignature.sign(checkpoint(2), NOW, key, pair.getPrivate());
        NoteSigner log = NoteVerifierTest.signer(ORIGIN);
        String logNote = checkpoint(2).sign(log);
        String logLine = logNote.substring(logNote.lastIndexOf("\n\u2014 ") + 1, logNote.length() - 1);

        // when / then
        assertThat(Cosignature.claimedTimestamp(line)).isEqualTo(NOW);
        assertThat(Cosignature.claimedTimestamp(WitnessedCheckpointExample.WITNESS_COSIGNATURE)).isEqualTo(WitnessedCheckpointExample.WITNESS_TIMESTAMP);
        assertThat(rejection(() -> Cosignature.claimedTimestamp(logLine))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> Cosignature.claimedTimestamp(withTimestamp(line, -1)))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> Cosignature.claimedTimestamp("cosignature"))).isEqualTo(Reason.MALFORMED_NOTE);
    }

    @Test
    void shouldRefuseToSignBeforeTheEpochOrWithKeysThatAreNotAPair() throws Exception {
        KeyPair pair = pair();
        WitnessKey key = WitnessKey.of(WITNESS, pair.getPublic());
        assertThatThrownBy(() -> Cosignature.sign(checkpoint(1), -1, key, pair.getPrivate())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cosignature.sign(checkpoint(1), NOW, key, pair().getPrivate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not belong");
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThatThrownBy(() -> Cosignature.sign(checkpoint(1), NOW, key, ec.getPrivate())).isInstanceOf(IllegalArgumentException.class);
    }

    private static KeyPair pair() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static Checkpoint checkpoint(int size) {
        return Checkpoint.of(ORIGIN, size, MerkleTree.of(Trees.leaves(new Random(size), size)).rootHash());
    }

    /** The line with its timestamp field replaced, the signature left as it was. */
    private static String withTimestamp(String line, long timestamp) {
        byte[] bytes = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
        ByteBuffer.wrap(bytes).putLong(4, timestamp);
        return lineOf(bytes);
    }

    private static String lineOf(byte[] bytes) {
        return "\u2014 " + WITNESS + " " + Base64.getEncoder().encodeToString(bytes);
    }

    private static Reason rejection(ThrowingCallable verify) {
        Throwable thrown = catchThrowable(verify);
        assertThat(thrown).isInstanceOf(NoteException.class);
        return ((NoteException) thrown).reason();
    }
}

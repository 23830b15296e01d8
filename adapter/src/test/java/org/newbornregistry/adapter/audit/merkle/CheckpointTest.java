package org.newbornregistry.adapter.audit.merkle;

import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.audit.merkle.NoteException.Reason;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class CheckpointTest {

    private static final String ORIGIN = "registry.example/audit";

    @Test
    void shouldSignTheTreeHeadInTheCheckpointFormatAndOpenItAgain() throws Exception {
        // given
        NoteSigner signer = NoteVerifierTest.signer(ORIGIN);
        MerkleTree tree = MerkleTree.of(Trees.leaves(new Random(41), 20_852));
        Checkpoint checkpoint = Checkpoint.of(ORIGIN, tree.size(), tree.rootHash());

        // when
        String note = checkpoint.sign(signer);
        Checkpoint opened = Checkpoint.open(note, ORIGIN, new NoteVerifier(signer.verifierKey()));

        // then
        assertThat(note).matches("registry\\.example/audit\n20852\n[A-Za-z0-9+/]{43}=\n\n\u2014 registry\\.example/audit [A-Za-z0-9+/]{91}=\n");
        assertThat(note).contains("\n" + Base64.getEncoder().encodeToString(tree.rootHash()) + "\n");
        assertThat(opened).isEqualTo(checkpoint);
        assertThat(opened.size()).isEqualTo(20_852);
        assertThat(opened.rootHash()).isEqualTo(tree.rootHash());
    }

    @Test
    void shouldRejectTheCheckpointUnderAnotherKey() throws Exception {
        // given: another key under the same name, as after a key compromise or a rogue copy of the log
        NoteSigner signer = NoteVerifierTest.signer(ORIGIN);
        NoteSigner other = NoteVerifierTest.signer(ORIGIN);
        String note = Checkpoint.of(ORIGIN, 5, TreeHash.emptyTree()).sign(other);

        // when / then
        assertThat(rejection(() -> Checkpoint.open(note, ORIGIN, new NoteVerifier(signer.verifierKey())))).isEqualTo(Reason.UNTRUSTED);
    }

    @Test
    void shouldRejectACheckpointWhoseSizeRootOrOriginWasChanged() throws Exception {
        // given
        NoteSigner signer = NoteVerifierTest.signer(ORIGIN);
        NoteVerifier verifier = new NoteVerifier(signer.verifierKey());
        MerkleTree tree = MerkleTree.of(Trees.leaves(new Random(42), 9));
        String note = Checkpoint.of(ORIGIN, 9, tree.rootHash()).sign(signer);
        String root = Base64.getEncoder().encodeToString(tree.rootHash());
        String otherRoot = Base64.getEncoder().encodeToString(tree.rootHash(8));

        // when / then
        assertThat(rejection(() -> Checkpoint.open(note.replace("\n9\n", "\n8\n"), ORIGIN, verifier))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(rejection(() -> Checkpoint.open(note.replace(root, otherRoot), ORIGIN, verifier))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(rejection(() -> Checkpoint.open(note.replaceFirst("registry\\.example/audit\n", "registry.example/audit2\n"), ORIGIN, verifier)))
                .isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(rejection(() -> Checkpoint.open(note.replace(root + "\n", root + "\nextension\n"), ORIGIN, verifier))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void shouldRejectACheckpointOfAnotherLogEvenWhenTheSignatureHolds() throws Exception {
        // given
        NoteSigner signer = NoteVerifierTest.signer(ORIGIN);
        String note = Checkpoint.of("registry.example/test-audit", 3, TreeHash.emptyTree()).sign(signer);

        // when / then
        assertThat(rejection(() -> Checkpoint.open(note, ORIGIN, new NoteVerifier(signer.verifierKey())))).isEqualTo(Reason.WRONG_ORIGIN);
    }

    @Test
    void shouldRejectACheckpointWithoutItsSignatureLine() throws Exception {
        // given
        NoteSigner signer = NoteVerifierTest.signer(ORIGIN);
        Checkpoint checkpoint = Checkpoint.of(ORIGIN, 3, TreeHash.emptyTree());
        String note = checkpoint.sign(signer);
        NoteVerifier verifier = new NoteVerifier(signer.verifierKey());

        // when / then
        assertThat(rejection(() -> Checkpoint.open(checkpoint.text(), ORIGIN, verifier))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> Checkpoint.open(checkpoint.text() + "\n", ORIGIN, verifier))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> Checkpoint.open(note.substring(0, note.indexOf('\u2014')), ORIGIN, verifier))).isEqualTo(Reason.MALFORMED_NOTE);
    }

    @Test
    void shouldRejectSignedTextThatIsNotACheckpoint() throws Exception {
        // given: the log's own key signs something malformed (a bug, or a key used for other notes)
        NoteSigner signer = NoteVerifierTest.signer(ORIGIN);
        NoteVerifier verifier = new NoteVerifier(signer.verifierKey());
        String root = Base64.getEncoder().encodeToString(TreeHash.emptyTree());
        List<String> texts = new ArrayList<>(List.of(
                ORIGIN + "\n5\n",                          // no root hash line
                ORIGIN + "\n" + root + "\n",               // no size line
                "\n5\n" + root + "\n",                     // empty origin
                ORIGIN + "\n05\n" + root + "\n",           // leading zero
                ORIGIN + "\n-5\n" + root + "\n",           // negative
                ORIGIN + "\n+5\n" + root + "\n",           // sign
                ORIGIN + "\n5 \n" + root + "\n",           // trailing space
                ORIGIN + "\n0x5\n" + root + "\n",          // hexadecimal
                ORIGIN + "\n18446744073709551615\n" + root + "\n", // 2^64-1: valid for the format, beyond this log
                ORIGIN + "\n5\n" + root.substring(0, 40) + "=\n",  // not 32 bytes
                ORIGIN + "\n5\n" + root.replace('=', 'A') + "\n",  // not canonical base64
                ORIGIN + "\n5\n" + root.replace('+', '-') + "\n",  // URL-safe alphabet
                ORIGIN + "\n5\n" + root + "\n\nextension\n"));     // empty extension line

        for (String text : texts) {
            // when
            String note = signer.sign(text);

            // then
            assertThat(rejection(() -> Checkpoint.open(note, ORIGIN, verifier))).as(text).isEqualTo(Reason.MALFORMED_CHECKPOINT);
        }
    }

    @Test
    void shouldCarryExtensionLinesUnderTheSignature() throws Exception {
        // given
        NoteSigner signer = NoteVerifierTest.signer(ORIGIN);
        Checkpoint checkpoint = new Checkpoint(ORIGIN, 0, TreeHash.emptyTree(), List.of("timestamp 1767225600", "note two"));

        // when
        Checkpoint opened = Checkpoint.open(checkpoint.sign(signer), ORIGIN, new NoteVerifier(signer.verifierKey()));

        // then
        assertThat(opened.extensions()).containsExactly("timestamp 1767225600", "note two");
        assertThat(checkpoint.text()).endsWith("\ntimestamp 1767225600\nnote two\n");
        assertThat(opened.size()).isZero();
    }

    @Test
    void shouldRefuseToBuildACheckpointThatCouldNotBeRead() {
        byte[] root = TreeHash.emptyTree();
        assertThatThrownBy(() -> Checkpoint.of("", 1, root)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checkpoint.of("two\nlines", 1, root)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checkpoint.of(ORIGIN, -1, root)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checkpoint.of(ORIGIN, 1, new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint(ORIGIN, 1, root, List.of(""))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint(ORIGIN, 1, root, List.of("a\tb"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldLetAnAuditorCheckThatTheSignedLogOnlyGrewAndHoldsAnEntry() throws Exception {
        // given: the auditor kept the signed checkpoint at 1,000 entries; the log has grown to 1,337
        Random random = new Random(43);
        List<byte[]> leaves = Trees.leaves(random, 1_337);
        MerkleTree log = MerkleTree.of(leaves);
        NoteSigner signer = NoteVerifierTest.signer(ORIGIN);
        NoteVerifier verifier = new NoteVerifier(VerifierKey.parse(signer.verifierKey().encoded()));
        String kept = Checkpoint.of(ORIGIN, 1_000, log.rootHash(1_000)).sign(signer);
        String latest = Checkpoint.of(ORIGIN, 1_337, log.rootHash()).sign(signer);

        // when
        Checkpoint older = Checkpoint.open(kept, ORIGIN, verifier);
        Checkpoint newer = Checkpoint.open(latest, ORIGIN, verifier);
        List<byte[]> consistency = ConsistencyProof.generate(log, older.size(), newer.size());
        List<byte[]> inclusion = InclusionProof.generate(log, 1_200, newer.size());

        // then
        ConsistencyProof.verify(older.size(), newer.size(), older.rootHash(), newer.rootHash(), consistency);
        InclusionProof.verify(1_200, newer.size(), leaves.get(1_200), inclusion, newer.rootHash());

        // and a log that rewrote entry 3 after the auditor's checkpoint cannot prove it only grew
        List<byte[]> rewritten = new ArrayList<>(leaves);
        rewritten.set(3, TreeHash.leaf("a rewritten audit entry".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        MerkleTree forked = MerkleTree.of(rewritten);
        List<byte[]> forkedProof = ConsistencyProof.generate(forked, 1_000, 1_337);
        assertThat(catchThrowable(() -> ConsistencyProof.verify(1_000, 1_337, older.rootHash(), forked.rootHash(), forkedProof)))
                .isInstanceOf(ProofException.class);
    }

    private static Reason rejection(org.assertj.core.api.ThrowableAssert.ThrowingCallable open) {
        Throwable thrown = catchThrowable(open);
        assertThat(thrown).isInstanceOf(NoteException.class);
        return ((NoteException) thrown).reason();
    }
}

package org.newbornregistry.adapter.audit.merkle;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class AddCheckpointRequestTest {

    private static final String ORIGIN = "registry.example/audit";

    /** The example request body of c2sp.org/tlog-witness (its signatures are the specification's, not verified here). */
    private static final String SPECIFICATION_EXAMPLE = """
            old 20852014
            PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
            jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
            5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
            /6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

            example.com/behind-the-sofa
            20852163
            CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

            \u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
            \u2014 example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=
            """;

    @Test
    void shouldReadTheSpecificationsExampleAndWriteItBackByteForByte() throws Exception {
        // when
        AddCheckpointRequest request = AddCheckpointRequest.parse(bytes(SPECIFICATION_EXAMPLE));

        // then
        assertThat(request.oldSize()).isEqualTo(20_852_014);
        assertThat(request.proof()).hasSize(4);
        assertThat(Base64.getEncoder().encodeToString(request.proof().get(0))).isEqualTo("PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=");
        assertThat(request.claimedCheckpoint().origin()).isEqualTo("example.com/behind-the-sofa");
        assertThat(request.claimedCheckpoint().size()).isEqualTo(20_852_163);
        assertThat(request.note()).startsWith("example.com/behind-the-sofa\n20852163\n").endsWith("qbSzm9Q=\n");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo(SPECIFICATION_EXAMPLE);
    }

    @Test
    void shouldWriteARequestWithARealConsistencyProofThatReadsBackTheSame() throws Exception {
        // given
        NoteSigner signer = NoteVerifierTest.signer(ORIGIN);
        MerkleTree tree = MerkleTree.of(Trees.leaves(new Random(3), 1_000));
        String note = Checkpoint.of(ORIGIN, 1_000, tree.rootHash()).sign(signer);
        List<byte[]> proof = ConsistencyProof.generate(tree, 600, 1_000);

        // when
        AddCheckpointRequest request = AddCheckpointRequest.of(600, proof, note);
        AddCheckpointRequest read = AddCheckpointRequest.parse(request.body());

        // then
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).startsWith("old 600\n").contains("\n\n" + note).endsWith(note);
        assertThat(read.oldSize()).isEqualTo(600);
        assertThat(Trees.hex(read.proof())).isEqualTo(Trees.hex(proof));
        assertThat(read.note()).isEqualTo(note);
        assertThat(read.claimedCheckpoint()).isEqualTo(Checkpoint.of(ORIGIN, 1_000, tree.rootHash()));
        ConsistencyProof.verify(600, 1_000, tree.rootHash(600), read.claimedCheckpoint().rootHash(), read.proof());
    }

    @Test
    void shouldWriteAFirstRequestAndOneForTheSameSizeWithoutProof() throws Exception {
        // given
        NoteSigner signer = NoteVerifierTest.signer(ORIGIN);
        String note = Checkpoint.of(ORIGIN, 4, TreeHash.emptyTree()).sign(signer);

        // when / then
        assertThat(AddCheckpointRequest.of(0, List.of(), note).body()).isEqualTo(bytes("old 0\n\n" + note));
        assertThat(AddCheckpointRequest.of(4, List.of(), note).body()).isEqualTo(bytes("old 4\n\n" + note));
        assertThat(AddCheckpointRequest.parse(bytes("old 0\n\n" + note)).proof()).isEmpty();
    }

    @Test
    void shouldHandOutCopiesOfTheProof() throws Exception {
        // given
        AddCheckpointRequest request = AddCheckpointRequest.parse(bytes(SPECIFICATION_EXAMPLE));

        // when
        request.proof().get(0)[0] ^= 1;

        // then
        assertThat(Base64.getEncoder().encodeToString(request.proof().get(0))).isEqualTo("PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=");
    }

    @Test
    void shouldRejectBodiesWithoutAWellFormedOldSizeLine() {
        String rest = SPECIFICATION_EXAMPLE.substring(SPECIFICATION_EXAMPLE.indexOf('\n'));
        for (String old : new String[] {"", "old", "old ", "old 01", "old -1", "old +5", "old  5", "Old 5", "old 5 ", "old 0x10",
                "old 9223372036854775808", "old 99999999999999999999", "\u2014 old 5"}) {
            assertThat(requestRejection(() -> AddCheckpointRequest.parse(bytes(old + rest)))).as(old)
                    .isEqualTo(NoteException.Reason.MALFORMED_REQUEST);
        }
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(bytes("old 5")))).isEqualTo(NoteException.Reason.MALFORMED_REQUEST);
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(bytes("")))).isEqualTo(NoteException.Reason.MALFORMED_REQUEST);
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(null))).isEqualTo(NoteException.Reason.MALFORMED_REQUEST);
    }

    @Test
    void shouldRejectBodiesWithoutTheBlankLineOrWithAProofLineThatIsNotAHash() {
        String example = SPECIFICATION_EXAMPLE;
        String firstHash = "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=";
        // no blank line at all: the note's lines are read as proof lines until one is not a hash
        assertThat(proofRejection(() -> AddCheckpointRequest.parse(bytes(example.replaceFirst("\n\n", "\n")))))
                .isEqualTo(ProofException.Reason.MALFORMED);
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(bytes("old 5\n" + firstHash + "\n"))))
                .isEqualTo(NoteException.Reason.MALFORMED_REQUEST);
        // a hash of 31 bytes or 33, unpadded base64, base64url, a trailing space, a carriage return, stray bits in the last character
        byte[] hash = Base64.getDecoder().decode(firstHash);
        String short31 = Base64.getEncoder().encodeToString(Arrays.copyOf(hash, 31));
        String long33 = Base64.getEncoder().encodeToString(Arrays.copyOf(hash, 33));
        for (String line : new String[] {short31, long33, firstHash.replace("=", ""), "_6WVhPs2CwSsb5rYBH5cjHV_wSmA79abXAwhXw3Kj_0=",
                firstHash + " ", firstHash + "\r", "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkax="}) {
            assertThat(proofRejection(() -> AddCheckpointRequest.parse(bytes(example.replace(firstHash, line))))).as(line)
                    .isEqualTo(ProofException.Reason.MALFORMED);
        }
    }

    @Test
    void shouldTakeAtMost63ProofLines() throws Exception {
        // given
        NoteSigner signer = NoteVerifierTest.signer(ORIGIN);
        String note = Checkpoint.of(ORIGIN, 1L << 62, TreeHash.emptyTree()).sign(signer);
        String line = Base64.getEncoder().encodeToString(TreeHash.emptyTree()) + "\n";

        // when / then
        assertThat(AddCheckpointRequest.parse(bytes("old 5\n" + line.repeat(63) + "\n" + note)).proof()).hasSize(63);
        assertThat(proofRejection(() -> AddCheckpointRequest.parse(bytes("old 5\n" + line.repeat(64) + "\n" + note))))
                .isEqualTo(ProofException.Reason.WRONG_PROOF_SIZE);
        assertThatThrownBy(() -> AddCheckpointRequest.of(5, Collections.nCopies(64, TreeHash.emptyTree()), note))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectAnOldSizeAboveTheCheckpointsSize() {
        String body = SPECIFICATION_EXAMPLE.replace("old 20852014", "old 20852164");

        assertThat(proofRejection(() -> AddCheckpointRequest.parse(bytes(body)))).isEqualTo(ProofException.Reason.OUT_OF_RANGE);
    }

    @Test
    void shouldLeaveAProofOfTheWrongLengthToTheWitness() throws Exception {
        // given: the specification answers a proof that does not verify (422) apart from a malformed body (400)
        NoteSigner signer = NoteVerifierTest.signer(ORIGIN);
        String note = Checkpoint.of(ORIGIN, 8, TreeHash.emptyTree()).sign(signer);
        String line = Base64.getEncoder().encodeToString(TreeHash.emptyTree()) + "\n";

        // when / then
        assertThat(AddCheckpointRequest.parse(bytes("old 0\n" + line + "\n" + note)).proof()).hasSize(1);
        assertThat(AddCheckpointRequest.parse(bytes("old 8\n" + line + "\n" + note)).proof()).hasSize(1);
        assertThat(AddCheckpointRequest.parse(bytes("old 3\n\n" + note)).proof()).isEmpty();
    }

    @Test
    void shouldRejectWhatFollowsTheBlankLineUnlessItIsASignedCheckpoint() {
        String head = SPECIFICATION_EXAMPLE.substring(0, SPECIFICATION_EXAMPLE.indexOf("\n\n") + 2);
        String note = SPECIFICATION_EXAMPLE.substring(head.length());
        String text = note.substring(0, note.indexOf("\n\n") + 1);
        String signatures = note.substring(text.length() + 1);
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(bytes(head)))).isEqualTo(NoteException.Reason.MALFORMED_NOTE);
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(bytes(head + text)))).isEqualTo(NoteException.Reason.MALFORMED_NOTE);
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(bytes(head + text + "\n")))).isEqualTo(NoteException.Reason.MALFORMED_NOTE);
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(bytes(head + note.substring(0, note.length() - 1)))))
                .isEqualTo(NoteException.Reason.MALFORMED_NOTE);
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(bytes(head + note.replace("\u2014", "--")))))
                .isEqualTo(NoteException.Reason.MALFORMED_NOTE);
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(bytes(head + note.replace("\n", "\r\n")))))
                .isEqualTo(NoteException.Reason.MALFORMED_NOTE);
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(bytes(head + text.replace("20852163", "020852163") + "\n" + signatures))))
                .isEqualTo(NoteException.Reason.MALFORMED_CHECKPOINT);
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(bytes(head + "just a line\n\n" + signatures))))
                .isEqualTo(NoteException.Reason.MALFORMED_CHECKPOINT);
        String tooManySignatures = signatures.substring(0, signatures.indexOf('\n') + 1).repeat(NoteVerifier.MAX_SIGNATURES + 1);
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(bytes(head + text + "\n" + tooManySignatures))))
                .isEqualTo(NoteException.Reason.MALFORMED_NOTE);
    }

    @Test
    void shouldRejectBodiesThatAreNotUtf8OrTooLong() {
        byte[] latin1 = SPECIFICATION_EXAMPLE.replace("\u2014", "\u00e9").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(latin1))).isEqualTo(NoteException.Reason.MALFORMED_REQUEST);

        String head = SPECIFICATION_EXAMPLE.substring(0, SPECIFICATION_EXAMPLE.indexOf("\n\n") + 2);
        String note = SPECIFICATION_EXAMPLE.substring(head.length());
        String padded = note.replace("\n\n", "\nextension " + "x".repeat(AddCheckpointRequest.MAX_NOTE_BYTES) + "\n\n");
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(bytes(head + padded)))).isEqualTo(NoteException.Reason.MALFORMED_REQUEST);
        assertThat(requestRejection(() -> AddCheckpointRequest.parse(new byte[AddCheckpointRequest.MAX_BYTES + 1])))
                .isEqualTo(NoteException.Reason.MALFORMED_REQUEST);
    }

    @Test
    void shouldRefuseToWriteARequestThatAWitnessCouldNotRead() throws Exception {
        // given
        NoteSigner signer = NoteVerifierTest.signer(ORIGIN);
        MerkleTree tree = MerkleTree.of(Trees.leaves(new Random(5), 10));
        String note = Checkpoint.of(ORIGIN, 10, tree.rootHash()).sign(signer);
        List<byte[]> proof = ConsistencyProof.generate(tree, 6, 10);
        List<byte[]> withShortHash = new ArrayList<>(proof);
        withShortHash.set(0, new byte[31]);

        // when / then
        assertThatThrownBy(() -> AddCheckpointRequest.of(-1, List.of(), note)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddCheckpointRequest.of(11, List.of(), note)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddCheckpointRequest.of(6, List.of(), note)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddCheckpointRequest.of(0, proof, note)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddCheckpointRequest.of(10, proof, note)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddCheckpointRequest.of(6, withShortHash, note)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddCheckpointRequest.of(6, proof, Checkpoint.of(ORIGIN, 10, tree.rootHash()).text()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(AddCheckpointRequest.of(6, proof, note).proof()).hasSize(proof.size());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static NoteException.Reason requestRejection(ThrowingCallable parse) {
        Throwable thrown = catchThrowable(parse);
        assertThat(thrown).isInstanceOf(NoteException.class);
        return ((NoteException) thrown).reason();
    }

    private static ProofException.Reason proofRejection(ThrowingCallable parse) {
        Throwable thrown = catchThrowable(parse);
        assertThat(thrown).isInstanceOf(ProofException.class);
        return ((ProofException) thrown).reason();
    }
}

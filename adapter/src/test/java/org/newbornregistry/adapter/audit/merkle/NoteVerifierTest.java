package org.newbornregistry.adapter.audit.merkle;

import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.audit.merkle.NoteException.Reason;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class NoteVerifierTest {

    private static final NoteVerifier GO_EXAMPLE = new NoteVerifier(VerifierKey.parse(GoNoteExample.VERIFIER_KEY));

    @Test
    void shouldOpenTheGoNoteExample() throws NoteException {
        assertThat(GO_EXAMPLE.open(GoNoteExample.NOTE)).isEqualTo(GoNoteExample.TEXT);
        assertThat(GO_EXAMPLE.open(GoNoteExample.NOTE.getBytes(StandardCharsets.UTF_8))).isEqualTo(GoNoteExample.TEXT);
    }

    @Test
    void shouldSignTheGoNoteExampleByteForByte() throws Exception {
        // given
        NoteSigner signer = new NoteSigner("PeterNeumann", GoNoteExample.privateKey(), VerifierKey.parse(GoNoteExample.VERIFIER_KEY).publicKey());

        // when
        String note = signer.sign(GoNoteExample.TEXT);

        // then
        assertThat(note).isEqualTo(GoNoteExample.NOTE);
        assertThat(signer.verifierKey().encoded()).isEqualTo(GoNoteExample.VERIFIER_KEY);
    }

    @Test
    void shouldRejectANoteWhoseTextOrSignatureWasAltered() {
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.NOTE.replace("cryptography", "cryptographY")))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.NOTE.replace("x08go/ZJ", "x08go/ZK")))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.NOTE.replace("JnAM=", "JnAN=")))).isEqualTo(Reason.MALFORMED_NOTE);
        // the trusted key ID followed by one byte where Ed25519 has 64
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.TEXT + "\n\u2014 PeterNeumann x08go/Y=\n"))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void shouldIgnoreSignaturesOfOtherKeysButRequireOneByTheTrustedKey() throws Exception {
        // given: a witness co-signs, and an impostor signs under the trusted name with another key
        NoteSigner witness = signer("witness.example/w1");
        NoteSigner impostor = signer("PeterNeumann");
        String text = GoNoteExample.TEXT;
        String witnessLine = signatureLine(witness.sign(text));
        String impostorLine = signatureLine(impostor.sign(text));

        // when / then
        assertThat(GO_EXAMPLE.open(GoNoteExample.NOTE + witnessLine)).isEqualTo(text);
        assertThat(GO_EXAMPLE.open(text + "\n" + witnessLine + signatureLine(GoNoteExample.NOTE))).isEqualTo(text);
        assertThat(GO_EXAMPLE.open(GoNoteExample.NOTE + impostorLine)).isEqualTo(text);
        assertThat(rejection(() -> GO_EXAMPLE.open(witness.sign(text)))).isEqualTo(Reason.UNTRUSTED);
        assertThat(rejection(() -> GO_EXAMPLE.open(impostor.sign(text)))).isEqualTo(Reason.UNTRUSTED);
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.NOTE + signatureLine(GoNoteExample.NOTE)))).isEqualTo(Reason.MALFORMED_NOTE);
    }

    @Test
    void shouldRejectNotesThatAreNotWellFormed() {
        String signature = signatureLine(GoNoteExample.NOTE);
        String sig64 = signature.substring(signature.lastIndexOf(' ') + 1, signature.length() - 1);
        // no blank line, no signature, no final newline
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.TEXT + signature))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.TEXT + "\n"))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.TEXT))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.NOTE.substring(0, GoNoteExample.NOTE.length() - 1)))).isEqualTo(Reason.MALFORMED_NOTE);
        // a hyphen or two instead of the em dash, a name with a plus, base64 with a space, too short to hold a key ID
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.TEXT + "\n- PeterNeumann " + sig64 + "\n"))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.TEXT + "\n-- PeterNeumann " + sig64 + "\n"))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.TEXT + "\n\u2014 Peter+Neumann " + sig64 + "\n"))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.TEXT + "\n\u2014 PeterNeumann " + sig64 + " x\n"))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.TEXT + "\n\u2014 PeterNeumann x08g\n"))).isEqualTo(Reason.MALFORMED_NOTE);
        // control characters other than newline, and bytes that are not UTF-8
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.NOTE.replace("\n", "\r\n")))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> GO_EXAMPLE.open(GoNoteExample.NOTE.replace("If you", "If\tyou")))).isEqualTo(Reason.MALFORMED_NOTE);
        byte[] latin1 = GoNoteExample.NOTE.replace("you", "y\u00f6u").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(rejection(() -> GO_EXAMPLE.open(latin1))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(rejection(() -> GO_EXAMPLE.open((String) null))).isEqualTo(Reason.MALFORMED_NOTE);
    }

    @Test
    void shouldRejectANoteWithMoreThanTheMostSignaturesAccepted() throws Exception {
        // given
        String witnessLine = signatureLine(signer("witness.example/w1").sign(GoNoteExample.TEXT));
        String note = GoNoteExample.NOTE + witnessLine.repeat(NoteVerifier.MAX_SIGNATURES);

        // when / then
        assertThat(rejection(() -> GO_EXAMPLE.open(note))).isEqualTo(Reason.MALFORMED_NOTE);
        assertThat(GO_EXAMPLE.open(GoNoteExample.NOTE + witnessLine.repeat(15))).isEqualTo(GoNoteExample.TEXT);
    }

    @Test
    void shouldRefuseToSignWhatCouldNotBeReadBackOrWithKeysThatAreNotAPair() throws Exception {
        NoteSigner signer = signer("registry.example/audit");
        assertThatThrownBy(() -> signer.sign("no final newline")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign("a\ttab\n")).isInstanceOf(IllegalArgumentException.class);
        KeyPair one = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThatThrownBy(() -> new NoteSigner("registry.example/audit", one.getPrivate(), other.getPublic()))
                .hasMessageContaining("does not belong");
    }

    @Test
    void shouldOpenWhatItSignsWhateverEmptyLinesTheTextHolds() throws Exception {
        // given
        NoteSigner signer = signer("registry.example/audit");
        NoteVerifier verifier = new NoteVerifier(signer.verifierKey());

        for (String text : new String[] {"one line\n", "two\n\nparagraphs\n", "ends with a blank line\n\n", "\u2014 looks like a signature\n"}) {
            // when / then
            assertThat(verifier.open(signer.sign(text))).isEqualTo(text);
        }
    }

    static NoteSigner signer(String name) throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        return new NoteSigner(name, pair.getPrivate(), pair.getPublic());
    }

    /** The last signature line of a note, with its newline. */
    private static String signatureLine(String note) {
        return note.substring(note.lastIndexOf("\n\u2014 ") + 1);
    }

    private static Reason rejection(org.assertj.core.api.ThrowableAssert.ThrowingCallable open) {
        Throwable thrown = catchThrowable(open);
        assertThat(thrown).isInstanceOf(NoteException.class);
        return ((NoteException) thrown).reason();
    }
}

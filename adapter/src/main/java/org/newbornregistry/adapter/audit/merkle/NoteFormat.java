package org.newbornregistry.adapter.audit.merkle;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import static org.newbornregistry.adapter.audit.merkle.NoteException.Reason.MALFORMED_NOTE;

/**
 * The syntax rules of c2sp.org/signed-note shared by signer, verifier, verifier keys and
 * checkpoints: what a key name and a note text may contain, the signature line's em dash, and
 * base64 read strictly (only the canonical, padded RFC 4648 §4 form), so that one signature has
 * one spelling, and the split of a signature line that notes and cosignatures share.
 */
final class NoteFormat {

    /** What starts a signature line: an em dash (U+2014) and a space. */
    static final String SIGNATURE_PREFIX = "\u2014 ";

    private NoteFormat() {
    }

    /** A key name: non-empty, without Unicode spaces, plus signs or control characters, valid UTF-16. */
    static boolean isKeyName(String name) {
        if (name == null || name.isEmpty() || !isWellFormedUnicode(name)) {
            return false;
        }
        return name.codePoints().noneMatch(c -> c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.isISOControl(c) || c == 0x85);
    }

    /** Note text: no ASCII control character but newline, and no lone surrogate (which UTF-8 cannot carry). */
    static boolean isNoteText(String text) {
        return isWellFormedUnicode(text) && text.chars().noneMatch(c -> c < 0x20 && c != '\n');
    }

    /** One signature line, {@code — <name> <base64(key ID || signature)>}, its parts not yet checked against any key. */
    record SignatureLine(String name, byte[] keyId, byte[] signature) {
    }

    /**
     * Splits a signature line (without its newline) into name, key ID and the signature bytes after it.
     *
     * @throws NoteException ({@code MALFORMED_NOTE}) when it is not an em dash, a key name, a space and
     *                       canonical base64 of at least five bytes
     */
    static SignatureLine signatureLine(String line) throws NoteException {
        if (line == null || !line.startsWith(SIGNATURE_PREFIX)) {
            throw new NoteException(MALFORMED_NOTE, "a signature line starts with an em dash and a space");
        }
        String rest = line.substring(SIGNATURE_PREFIX.length());
        int space = rest.indexOf(' ');
        byte[] bytes = space < 0 ? null : base64(rest.substring(space + 1));
        if (space < 0 || !isKeyName(rest.substring(0, space)) || bytes == null || bytes.length < 5) {
            throw new NoteException(MALFORMED_NOTE, "a signature line is an em dash, a key name and base64 of a key ID and a signature");
        }
        return new SignatureLine(rest.substring(0, space), Arrays.copyOf(bytes, 4), Arrays.copyOfRange(bytes, 4, bytes.length));
    }

    /** The bytes of canonical base64, or null for anything else (other alphabets, missing padding, stray bits). */
    static byte[] base64(String text) {
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            return Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The text of strict UTF-8 bytes, or null when they are not UTF-8 (never replacement characters). */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean isWellFormedUnicode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}

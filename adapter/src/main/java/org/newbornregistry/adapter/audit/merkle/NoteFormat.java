package org.newbornregistry.adapter.audit.merkle;

import java.util.Base64;

/**
 * The syntax rules of c2sp.org/signed-note shared by signer, verifier, verifier keys and
 * checkpoints: what a key name and a note text may contain, the signature line's em dash, and
 * base64 read strictly (only the canonical, padded RFC 4648 §4 form), so that one signature has
 * one spelling.
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

    /** The bytes of canonical base64, or null for anything else (other alphabets, missing padding, stray bits). */
    static byte[] base64(String text) {
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            return Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
        } catch (IllegalArgumentException e) {
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

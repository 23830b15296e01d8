package org.newbornregistry.adapter.audit.merkle;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The published example of golang.org/x/mod/sumdb/note (its package documentation, "Example"): a
 * well-known test key pair, a text, and the note Go signs it into. Ed25519 is deterministic, so a
 * signer that follows signed-note reproduces the note byte for byte; it is the independent check on
 * the key ID, the signature line and the Ed25519 use. The private key is a published test key.
 */
final class GoNoteExample {

    static final String SIGNER_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    static final String NOTE = TEXT + "\n"
            + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    private GoNoteExample() {
    }

    /** The Ed25519 private key of {@link #SIGNER_KEY}: its last field is base64 of 0x01 and the 32-byte seed. */
    static PrivateKey privateKey() throws GeneralSecurityException {
        byte[] typeAndSeed = Base64.getDecoder().decode(SIGNER_KEY.split("\\+", 5)[4]);
        byte[] seed = Arrays.copyOfRange(typeAndSeed, 1, typeAndSeed.length);
        return KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
    }
}

package org.newbornregistry.adapter.audit.merkle;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Ed25519 (RFC 8032) through the JDK's own provider, with public keys in the 32-byte form that
 * signed notes hash and carry. The JDK speaks X.509 SubjectPublicKeyInfo; for Ed25519 that is a
 * fixed 12-byte header (algorithm 1.3.101.112) followed by the 32 bytes, so the conversion is a
 * prefix, checked both ways.
 */
final class Ed25519Keys {

    /** Length of an Ed25519 public key, in bytes. */
    static final int PUBLIC_KEY_SIZE = 32;
    /** Length of an Ed25519 signature, in bytes. */
    static final int SIGNATURE_SIZE = 64;

    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private Ed25519Keys() {
    }

    /** The 32 bytes of an Ed25519 public key; {@link IllegalArgumentException} for any other key. */
    static byte[] raw(PublicKey key) {
        byte[] encoded = key == null ? null : key.getEncoded();
        if (encoded == null || encoded.length != X509_PREFIX.length + PUBLIC_KEY_SIZE
                || !Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
    }

    /** The public key of 32 raw bytes; {@link IllegalArgumentException} when they are not one. */
    static PublicKey publicKey(byte[] raw) {
        if (raw == null || raw.length != PUBLIC_KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 public key has " + PUBLIC_KEY_SIZE + " bytes");
        }
        byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + PUBLIC_KEY_SIZE);
        System.arraycopy(raw, 0, encoded, X509_PREFIX.length, PUBLIC_KEY_SIZE);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /** The signature of {@code message}; {@link IllegalArgumentException} when the key is not an Ed25519 private key. */
    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key", e);
        }
    }

    /** Whether {@code signature} is the key's signature of {@code message}; false, never an exception, otherwise. */
    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (signature.length != SIGNATURE_SIZE) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // Why: a crafted signature or key can make the provider throw instead of answering false.
            return false;
        }
    }
}

package org.newbornregistry.adapter.audit.merkle;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Ed25519 (RFC 8032), with public keys in the 32-byte form that signed notes hash and carry. Keys
 * are the JDK's ({@link PrivateKey}, {@link PublicKey}: generated, stored and parsed by its
 * provider); signing and verifying run in Bouncy Castle's RFC 8032 code, which gives the same
 * (deterministic) signatures about ten times faster than the JDK 17 provider: every audit entry is
 * signed once and verified once, so this is on the write path of every message. The JDK speaks X.509 SubjectPublicKeyInfo; for Ed25519 that is a
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
        byte[] seed = key instanceof EdECPrivateKey edec && "Ed25519".equals(edec.getParams().getName())
                ? edec.getBytes().orElse(null) : null;
        if (seed == null || seed.length != Ed25519.SECRET_KEY_SIZE) {
            throw new IllegalArgumentException("not an Ed25519 private key");
        }
        byte[] signature = new byte[SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, message, 0, message.length, signature, 0);
        Arrays.fill(seed, (byte) 0);
        return signature;
    }

    /** Whether {@code signature} is the key's signature of {@code message}; false, never an exception, otherwise. */
    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_SIZE) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, raw(key), 0, message, 0, message.length);
        } catch (RuntimeException e) {
            // Why: a crafted signature or key must be answered false, never with an exception.
            return false;
        }
    }
}

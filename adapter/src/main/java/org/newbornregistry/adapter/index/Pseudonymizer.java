package org.newbornregistry.adapter.index;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The name a newborn has at the national index: HMAC-SHA-256 under a secret key over the
 * registry's identity of the newborn, the first 120 bits in RFC 4648 base32 — 24 characters,
 * CMF's longest specimen id, of letters and digits every index accepts. The key comes from
 * configuration and is never stored with the data or sent: without it a pseudonym cannot be
 * traced back, with it the registry can re-identify a match by recomputing.
 */
public final class Pseudonymizer {

    /** Length of a pseudonym: CMF's SPECIMENID holds at most 24 characters. */
    public static final int LENGTH = 24;
    /** Shortest key accepted: 256 bits, the HMAC-SHA-256 block's worth of secret. */
    public static final int MIN_KEY_BYTES = 32;

    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private final SecretKeySpec key;

    /** @throws IllegalArgumentException when the key is shorter than {@value #MIN_KEY_BYTES} bytes */
    public Pseudonymizer(byte[] key) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the pseudonym key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(Arrays.copyOf(key, key.length), "HmacSHA256");
    }

    /** The pseudonym of the newborn the registry knows as {@code identity} (its Patient's logical id). */
    public String pseudonym(String identity) {
        return base32(mac(identity), LENGTH);
    }

    /**
     * The key under which the registry files a pseudonym for re-identification: HMAC-SHA-256 over
     * {@code "nbr-reidentify:" + pseudonym} (a colon never occurs in an identity, so this never
     * equals a pseudonym's MAC). Stored instead of the pseudonym, it is useless without the key.
     */
    public byte[] lookupKey(String pseudonym) {
        return mac("nbr-reidentify:" + pseudonym);
    }

    private byte[] mac(String text) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            return hmac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** The first {@code chars} base32 characters of {@code bytes} (5 bits each). */
    static String base32(byte[] bytes, int chars) {
        StringBuilder out = new StringBuilder(chars);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; out.length() < chars; i++) {
            buffer = (buffer << 8) | (bytes[i] & 0xff);
            bits += 8;
            while (bits >= 5 && out.length() < chars) {
                out.append(BASE32[(buffer >> (bits - 5)) & 0x1f]);
                bits -= 5;
            }
        }
        return out.toString();
    }
}

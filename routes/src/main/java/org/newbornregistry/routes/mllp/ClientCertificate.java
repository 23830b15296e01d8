package org.newbornregistry.routes.mllp;

import javax.security.auth.x500.X500Principal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What the binding table knows a client certificate by: its SHA-256 fingerprint and its subject.
 *
 * @param fingerprint SHA-256 over the DER encoding, upper-case hex pairs separated by colons
 * @param subject     the subject DN
 */
public record ClientCertificate(String fingerprint, X500Principal subject) {

    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":").withUpperCase();

    /** The certificate a TLS peer presented. */
    public static ClientCertificate of(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new ClientCertificate(COLON_HEX.formatHex(digest), certificate.getSubjectX500Principal());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a certificate from a completed TLS handshake has an encoding", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * A configured fingerprint in this record's form.
     *
     * @param configured hex, upper or lower case, with or without colons or spaces
     * @throws IllegalArgumentException if it is not 32 bytes of hex
     */
    public static String normaliseFingerprint(String configured) {
        String hex = configured.replaceAll("[:\\s]", "").toUpperCase(Locale.ROOT);
        if (!hex.matches("[0-9A-F]{64}")) {
            throw new IllegalArgumentException("a SHA-256 fingerprint is 64 hex digits (colons allowed)");
        }
        return COLON_HEX.formatHex(HexFormat.of().parseHex(hex));
    }

    /** The subject as RFC 2253 prints it, for logs and audit events. */
    public String subjectName() {
        return subject.getName(X500Principal.RFC2253);
    }
}

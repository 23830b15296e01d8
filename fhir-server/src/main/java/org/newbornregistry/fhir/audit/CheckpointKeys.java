package org.newbornregistry.fhir.audit;

import org.newbornregistry.adapter.audit.merkle.NoteSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * The key that signs the audit log's checkpoints and entries: the configured Ed25519 pair, or — so that the
 * default run works on a fresh machine — a development pair generated once into a file under
 * {@code ./data} with owner-only permissions, announced with a warning. Never in the database.
 */
final class CheckpointKeys {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointKeys.class);

    private CheckpointKeys() {
    }

    /** The configured pair, else the development pair. */
    static KeyPair pair(AuditProperties properties) {
        return properties.checkpointKey() != null && !properties.checkpointKey().isBlank()
                ? decode(properties.checkpointKey(), properties.checkpointPublicKey(), "nbr.audit.checkpoint-key")
                : development(Path.of(properties.checkpointKeyFile()));
    }

    /** The signer of the checkpoints. */
    static NoteSigner signer(AuditProperties properties, KeyPair pair) {
        return new NoteSigner(properties.origin(), pair.getPrivate(), pair.getPublic());
    }

    private static KeyPair development(Path file) {
        try {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
                return decode(lines.get(0), lines.get(1), file.toString());
            }
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n"
                    + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                LOG.debug("The file system does not support POSIX permissions");
            }
            LOG.warn("No audit checkpoint key configured: generated a development key pair in {}. Set NBR_AUDIT_CHECKPOINT_KEY "
                    + "and NBR_AUDIT_CHECKPOINT_PUBLIC_KEY in production.", file);
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the development checkpoint key " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every Java 17 runtime", e);
        }
    }

    private static KeyPair decode(String privateKey, String publicKey, String source) {
        if (publicKey == null || publicKey.isBlank()) {
            throw new IllegalStateException(source + " needs its public key too (nbr.audit.checkpoint-public-key)");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            PrivateKey secret = factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKey.trim())));
            PublicKey open = factory.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey.trim())));
            return new KeyPair(open, secret);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the checkpoint key pair in " + source + " is not a base64 Ed25519 pair");
        }
    }
}

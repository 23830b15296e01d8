package org.newbornregistry.routes.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Where the pseudonym key comes from: the configured secret, or — so that the default run works
 * on a fresh machine — a development key generated once into a file under {@code ./data} with
 * owner-only permissions, announced with a warning. Never from the database.
 */
public final class PseudonymKeys {

    private static final Logger LOG = LoggerFactory.getLogger(PseudonymKeys.class);

    private PseudonymKeys() {
    }

    /** The key: the configured one (base64), else the development file's, created if missing. */
    public static byte[] load(String configured, Path developmentFile) {
        if (configured != null && !configured.isBlank()) {
            return decode(configured.trim(), "nbr.index.pseudonym-key");
        }
        try {
            if (Files.exists(developmentFile)) {
                return decode(Files.readString(developmentFile, StandardCharsets.US_ASCII).trim(), developmentFile.toString());
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(developmentFile.toAbsolutePath().getParent());
            Files.writeString(developmentFile, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(developmentFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                LOG.debug("The file system does not support POSIX permissions");
            }
            LOG.warn("No pseudonym key configured: generated a development key in {}. Set NBR_INDEX_PSEUDONYM_KEY "
                    + "(base64, 32 bytes or more) in production; pseudonyms change with the key.", developmentFile);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the development pseudonym key " + developmentFile, e);
        }
    }

    private static byte[] decode(String base64, String source) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the pseudonym key in " + source + " is not base64");
        }
    }
}

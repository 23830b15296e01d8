package org.newbornregistry.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The registry package's profile snapshots as the build generated them, shipped on the class path
 * the way a published FHIR package ships its profiles with snapshots: so that not even a first
 * start on an empty data directory spends ten seconds generating them. The build runs
 * {@link #main} after compiling (exec-maven-plugin in {@code fhir-server/pom.xml}); the file is
 * named like {@link SnapshotCache}'s, by the package and the HAPI version, so a file from another
 * build of either is never read, and where none matches the snapshot cache takes over.
 */
public final class ShippedSnapshots {

    /** Where on the class path the build puts the file. */
    static final String DIRECTORY = "org/newbornregistry/fhir/validation/snapshots/";

    private static final Logger LOG = LoggerFactory.getLogger(ShippedSnapshots.class);

    private ShippedSnapshots() {
    }

    /** The package with the snapshots the build generated for it, if this class path has them. */
    static Optional<ConformancePackage> find(FhirContext fhir, ConformancePackage authored) {
        String resource = DIRECTORY + SnapshotCache.fileName(fhir, authored);
        try (InputStream in = ShippedSnapshots.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Optional<ConformancePackage> shipped = SnapshotCache.parse(fhir, authored, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (shipped.isEmpty()) {
                LOG.warn("The profile snapshots shipped in {} do not match the package; generating them", resource);
            }
            return shipped;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * Generates the snapshots of the package on the class path and writes them under
     * {@code args[0]} (the build's class output directory).
     */
    public static void main(String[] args) throws IOException {
        FhirContext fhir = FhirContext.forR4();
        ConformancePackage authored = ConformancePackage.load(fhir);
        ConformancePackage snapshotted = RegistryValidator.withSnapshots(fhir, fhir.getValidationSupport(), authored);
        Path file = Path.of(args[0]).resolve(DIRECTORY).resolve(SnapshotCache.fileName(fhir, authored));
        Files.createDirectories(file.getParent());
        try (var stale = Files.list(file.getParent())) {
            for (Path old : stale.toList()) {
                Files.delete(old);
            }
        }
        Files.writeString(file, SnapshotCache.encode(fhir, snapshotted), StandardCharsets.UTF_8);
        LOG.info("Profile snapshots of {} {} written to {}", authored.name(), authored.version(), file);
    }
}

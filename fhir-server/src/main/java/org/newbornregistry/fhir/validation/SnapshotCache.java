package org.newbornregistry.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.VersionUtil;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The registry package with its profiles' snapshots, kept on disk between starts where the class
 * path does not ship them ({@link ShippedSnapshots}: a build that skipped the generation step, a
 * run from an IDE). Generating them takes about ten seconds; they depend only on the package and
 * on HAPI's core definitions, so a file named by the SHA-256 of both is reused until either changes. A file that
 * cannot be read, or does not hold a snapshot for every profile, is generated again; a cache that
 * cannot be written costs only the next start's time. Lives under the runtime data directory,
 * which holds the adapter's keys too: whoever can write there can change what the adapter trusts.
 */
final class SnapshotCache {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCache.class);

    private final Path directory;

    /** @param directory where the files are kept; null for no cache */
    SnapshotCache(Path directory) {
        this.directory = directory;
    }

    /** The snapshotted package: from the file of this package and HAPI version if there is a sound one, else generated and kept. */
    ConformancePackage snapshotted(FhirContext fhir, ConformancePackage authored, Supplier<ConformancePackage> generate) {
        if (directory == null) {
            return generate.get();
        }
        Path file = directory.resolve(fileName(fhir, authored));
        Optional<ConformancePackage> cached = read(fhir, authored, file);
        if (cached.isPresent()) {
            return cached.get();
        }
        ConformancePackage generated = generate.get();
        write(fhir, generated, file);
        return generated;
    }

    private static Optional<ConformancePackage> read(FhirContext fhir, ConformancePackage authored, Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Optional<ConformancePackage> read = parse(fhir, authored, Files.readString(file, StandardCharsets.UTF_8));
            if (read.isEmpty()) {
                LOG.warn("Profile snapshot cache {} does not match the package; generating the snapshots again", file);
            }
            return read;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Profile snapshot cache {} could not be read ({}); generating the snapshots again", file, e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /**
     * The snapshotted package in {@code json} (a collection Bundle as {@link #encode} writes it), or
     * empty when it does not hold one resource per resource of the package with a snapshot for every profile.
     */
    static Optional<ConformancePackage> parse(FhirContext fhir, ConformancePackage authored, String json) {
        Bundle bundle = fhir.newJsonParser().parseResource(Bundle.class, json);
        List<MetadataResource> resources = new ArrayList<>();
        bundle.getEntry().forEach(entry -> resources.add((MetadataResource) entry.getResource()));
        boolean sound = resources.size() == authored.resources().size()
                && resources.stream().allMatch(r -> !(r instanceof StructureDefinition sd) || sd.hasSnapshot());
        return sound ? Optional.of(new ConformancePackage(authored.name(), authored.version(), resources)) : Optional.empty();
    }

    /** The snapshotted package as a collection Bundle in JSON. */
    static String encode(FhirContext fhir, ConformancePackage snapshotted) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        snapshotted.resources().forEach(resource -> bundle.addEntry().setResource(resource));
        return fhir.newJsonParser().encodeResourceToString(bundle);
    }

    /** The name of the file holding this package's snapshots, for this HAPI version. */
    static String fileName(FhirContext fhir, ConformancePackage authored) {
        return "profile-snapshots-" + key(fhir, authored) + ".json";
    }

    private static void write(FhirContext fhir, ConformancePackage snapshotted, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path written = Files.createTempFile(file.toAbsolutePath().getParent(), "profile-snapshots", ".tmp");
            Files.writeString(written, encode(fhir, snapshotted), StandardCharsets.UTF_8);
            Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Profile snapshot cache {} could not be written ({}); the next start generates them again", file,
                    e.getClass().getSimpleName());
        }
    }

    /** SHA-256 of HAPI's version and every resource of the package as JSON. */
    static String key(FhirContext fhir, ConformancePackage authored) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(VersionUtil.getVersion().getBytes(StandardCharsets.UTF_8));
            for (MetadataResource resource : authored.resources()) {
                sha256.update((byte) 0);
                sha256.update(fhir.newJsonParser().encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha256.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

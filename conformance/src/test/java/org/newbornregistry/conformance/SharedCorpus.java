package org.newbornregistry.conformance;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The corpus of real data written by others ({@code ../shared/corpus} beside the checkout), read
 * in place and never copied into the project. Where it is absent, tests that need it are skipped
 * with a message saying so, so that a plain clone still passes.
 *
 * <p>The location comes from the system property {@code nbr.corpus.dir}, which the build sets;
 * without it, {@code ../shared/corpus} is looked for from the working directory upwards.
 */
public final class SharedCorpus {

    private SharedCorpus() {
    }

    /** A file of the corpus; skips the calling test (visibly) if the corpus or the file is absent. */
    public static Path file(String relativePath) {
        Path root = root();
        Path file = root == null ? null : root.resolve(relativePath);
        if (file == null || !Files.isRegularFile(file)) {
            String message = "SKIPPED: shared corpus file " + relativePath + " not found (looked in "
                    + (root == null ? "../shared/corpus" : root) + "); tests over real data need ../shared/corpus";
            // Why: Maven's summary counts skipped tests but does not say why; this line does.
            System.out.println(message);
            Assumptions.abort(message);
        }
        return file;
    }

    /** The names of the files in a corpus folder, sorted; skips the calling test (visibly) if it is absent. */
    public static java.util.List<String> files(String relativeDir) {
        Path dir = folderOrSkip(relativeDir);
        try (java.util.stream.Stream<Path> listing = Files.list(dir)) {
            return listing.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The files anywhere below a corpus folder, as paths relative to it with {@code /} between
     * folders, sorted; skips the calling test (visibly) if the folder is absent. For corpora that
     * group their files in subfolders, so that a subfolder added later is read too.
     */
    public static java.util.List<String> filesUnder(String relativeDir) {
        Path dir = folderOrSkip(relativeDir);
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A corpus folder, or empty where the corpus or the folder is absent; for callers that must not skip. */
    public static java.util.Optional<Path> folderIfPresent(String relativeDir) {
        Path root = root();
        Path dir = root == null ? null : root.resolve(relativeDir);
        return dir != null && Files.isDirectory(dir) ? java.util.Optional.of(dir) : java.util.Optional.empty();
    }

    /** A corpus folder; skips the calling test (visibly) if it is absent. */
    private static Path folderOrSkip(String relativeDir) {
        return folderIfPresent(relativeDir).orElseGet(() -> {
            Path root = root();
            String message = "SKIPPED: shared corpus folder " + relativeDir + " not found (looked in "
                    + (root == null ? "../shared/corpus" : root) + "); tests over real data need ../shared/corpus";
            // Why: Maven's summary counts skipped tests but does not say why; this line does.
            System.out.println(message);
            Assumptions.abort(message);
            return null;
        });
    }

    /** The text of a corpus file, read as UTF-8. */
    public static String text(String relativePath) {
        try {
            return Files.readString(file(relativePath), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path root() {
        String configured = System.getProperty("nbr.corpus.dir");
        if (configured != null && Files.isDirectory(Paths.get(configured))) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/corpus").normalize();
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}

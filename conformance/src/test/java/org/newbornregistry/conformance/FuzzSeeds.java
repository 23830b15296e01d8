package org.newbornregistry.conformance;

import org.junit.jupiter.api.Named;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Seed inputs of the fuzz tests: the project's own HL7 samples and FHIR examples, read from the
 * classpath (a folder or the conformance jar), and the files of a shared-corpus folder when the
 * corpus is there. Each seed is named after its file, never after its content, because the name
 * is what JUnit prints.
 */
public final class FuzzSeeds {

    private FuzzSeeds() {
    }

    /** {@code samples/v2/*.hl7}, as bytes. */
    public static List<Named<byte[]>> v2Samples() {
        return classpathFolder("samples/v2", ".hl7");
    }

    /** {@code examples/fhir/*.json}, as bytes. */
    public static List<Named<byte[]>> fhirExamples() {
        return classpathFolder("examples/fhir", ".json");
    }

    /**
     * The files of a shared-corpus folder (for example {@code hl7}) whose names end in one of
     * {@code suffixes}; none, with a line saying so, where the corpus is absent. Fuzzing then
     * starts from the project's own seeds only; the test that needs the corpus skips visibly.
     */
    public static List<Named<byte[]>> sharedCorpus(String folder, String... suffixes) {
        Path dir = SharedCorpus.folderIfPresent(folder).orElse(null);
        if (dir == null) {
            // Why: an arguments provider cannot skip one source of seeds without skipping the fuzz test.
            System.out.println("NOTE: shared corpus folder " + folder + " not found; fuzzing starts from the project's own seeds only");
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> suffixes.length == 0 || Stream.of(suffixes).anyMatch(s -> f.getFileName().toString().endsWith(s)))
                    .sorted()
                    .map(f -> Named.of("corpus/" + folder + "/" + f.getFileName(), read(f)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Named<byte[]>> classpathFolder(String folder, String suffix) {
        URL url = FuzzSeeds.class.getResource("/" + folder);
        if (url == null) {
            throw new IllegalStateException("no " + folder + " on the classpath");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return list(jar.getPath("/" + folder), folder, suffix);
                }
            }
            return list(Paths.get(uri), folder, suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Named<byte[]>> list(Path dir, String folder, String suffix) throws IOException {
        List<Named<byte[]>> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList()) {
                seeds.add(Named.of(folder + "/" + file.getFileName(), read(file)));
            }
        }
        return seeds;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.newbornregistry.cli.backfill;

import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.newbornregistry.NbrApplication;
import org.newbornregistry.cli.NbrCli;
import org.newbornregistry.conformance.TwinBirth;
import org.newbornregistry.fhir.HeapFigures;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The import command backfilling an archive of newborn ADT^A01 into the whole application on the
 * durable embedded PostgreSQL: messages per second, and what a million would take at that rate.
 * Prints numbers, asserts nothing. {@code mvn -B -ntp -Pbenchmark -pl routes -am verify
 * -Dit.test=BackfillBenchmark -Dfailsafe.failIfNoSpecifiedTests=false [-Dbench.messages=20000]
 * [-Dbench.connections=8] [-DargLine=-Xmx512m]}.
 */
@SpringBootTest(classes = NbrApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BackfillBenchmark {

    private static final int MLLP_PORT = AvailablePortFinder.getNextAvailable();
    private static final int MESSAGES = Integer.getInteger("bench.messages", 20_000);
    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 8);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nbr.database.embedded.data-dir", () -> "target/embedded-postgres/bench-" + UUID.randomUUID());
        registry.add("nbr.audit.checkpoint-file", () -> "target/audit-checkpoints/" + UUID.randomUUID() + ".log");
        registry.add("nbr.mllp.port", () -> MLLP_PORT);
    }

    @Test
    void measure() throws Exception {
        Path directory = Files.createDirectories(Path.of("target", "backfill-" + UUID.randomUUID()));
        Path archive = directory.resolve("births.hl7");
        try (BufferedWriter out = Files.newBufferedWriter(archive, StandardCharsets.ISO_8859_1)) {
            for (int i = 0; i < MESSAGES; i++) {
                out.write(TwinBirth.unique().text().replace('\r', '\n'));
                out.write('\n');
            }
        }
        long start = System.nanoTime();
        StringWriter summary = new StringWriter();
        // Why System.out for standard error: the progress lines show while the benchmark runs.
        int exit = NbrCli.commandLine().setOut(new PrintWriter(summary, true)).setErr(new PrintWriter(System.out, true)).execute(
                "import", "--to", "localhost:" + MLLP_PORT, "--connections", Integer.toString(CONNECTIONS),
                "--state", directory.resolve("state.json").toString(), archive.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%nBackfill benchmark: %d cores, %,d newborn ADT^A01 over %d connection(s), exit %d: %.0f messages/s,"
                        + " %.1f s in all; 1,000,000 would take %.0f min; %s (importer and adapter in one JVM)%n%s", Runtime.getRuntime().availableProcessors(), MESSAGES, CONNECTIONS, exit, MESSAGES / seconds,
                seconds, 1_000_000 / (MESSAGES / seconds) / 60, HeapFigures.describe(), summary);
    }
}

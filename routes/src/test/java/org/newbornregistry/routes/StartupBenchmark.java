package org.newbornregistry.routes;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up of the packaged jar as README.md runs it, with its embedded PostgreSQL: from starting
 * the process to the first healthy answer, on an empty data directory (initdb, every migration)
 * and on the same directory again, with a timeline of the log lines that mark each step, so that
 * what waits on what can be read off. Prints numbers, asserts nothing.
 * {@code mvn -B -ntp -Pbenchmark -pl routes -am verify -Dit.test=StartupBenchmark -Dfailsafe.failIfNoSpecifiedTests=false [-Dbench.restarts=3]}
 */
class StartupBenchmark {

    private static final int RESTARTS = Integer.getInteger("bench.restarts", 3);
    private static final Pattern TIME = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT(\\d\\d:\\d\\d:\\d\\d\\.\\d{3})");
    /** Log lines that mark a step, by what they say. */
    private static final Map<String, String> STEPS = steps();

    @Test
    void measure() throws Exception {
        System.out.printf("%nStart-up benchmark: %d cores, packaged jar, durable embedded PostgreSQL%n",
                Runtime.getRuntime().availableProcessors());
        Path work = Path.of("target", "startup-bench", UUID.randomUUID().toString());
        try (AdapterProcess adapter = new AdapterProcess(work, true, List.of())) {
            for (int start = 0; start <= RESTARTS; start++) {
                Duration took = adapter.start();
                adapter.stop();
                System.out.printf("%s: healthy after %.1f s%n", start == 0 ? "first start, empty data directory" : "restart " + start,
                        took.toMillis() / 1000.0);
                timeline(adapter.log());
            }
        }
    }

    private static void timeline(Path log) throws Exception {
        LocalTime first = null;
        StringBuilder line = new StringBuilder("  ");
        for (String text : Files.readAllLines(log)) {
            Matcher time = TIME.matcher(text);
            if (!time.find()) {
                continue;
            }
            LocalTime at = LocalTime.parse(time.group(1));
            first = first == null ? at : first;
            for (Map.Entry<String, String> step : STEPS.entrySet()) {
                if (text.contains(step.getKey())) {
                    line.append(String.format("%s %.1f s; ", step.getValue(), Duration.between(first, at).toMillis() / 1000.0));
                }
            }
        }
        System.out.println(line);
    }

    private static Map<String, String> steps() {
        Map<String, String> steps = new LinkedHashMap<>();
        steps.put("Tomcat initialized", "configuration read");
        steps.put("Embedded PostgreSQL running", "PostgreSQL up");
        steps.put("Successfully applied", "migrated");
        steps.put("Schema \"public\" is up to date", "migrated");
        steps.put("loaded with its profile snapshots", "profiles loaded");
        steps.put("Development token issuer in use", "dev tokens");
        steps.put("MLLP listener on", "MLLP configured");
        steps.put("Tomcat started on port", "HTTP up");
        steps.put("(nbr) started in", "Camel up");
        steps.put("Started NbrApplication", "started");
        steps.put("FHIR validator warmed", "validator warm (background)");
        return steps;
    }
}

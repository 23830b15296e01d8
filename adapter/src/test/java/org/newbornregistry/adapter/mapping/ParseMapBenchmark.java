package org.newbornregistry.adapter.mapping;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The floor of the HL7 inbound path without a database (issue 7): throughput of parse only, map
 * only, parse and map, and JSON encoding of the mapped Bundle, per message type, on one thread
 * and on two, measured by JMH ({@link ParseMapSteps}). Prints numbers; asserts nothing about
 * speed. Not part of the default build:
 * {@code mvn -B -ntp -Pbenchmark -pl adapter -am verify -Dit.test=ParseMapBenchmark -Dfailsafe.failIfNoSpecifiedTests=false}.
 * <ul>
 *   <li>{@code -Dbench.seconds=N}: length of each warm-up and measured iteration (default 1: 3 warm-up
 *       and 2 measured iterations per fork, 24 forks, about 3 minutes in all). On a busy machine
 *       the whole intake (parseAndMap) still speeds up after 9 s of warm-up: for figures to publish use
 *       {@code -Dbench.seconds=3 -Dbench.iterations=3} (about 9 minutes).</li>
 *   <li>{@code -Dbench.iterations=N}: measured iterations per fork (default 2).</li>
 *   <li>{@code -Dbench.forks=N}: JVMs per benchmark (default 1).</li>
 *   <li>{@code -Dbench.threads=1,2}: thread counts to run.</li>
 *   <li>{@code -Dbench.include=REGEX}: only the matching benchmarks, e.g. {@code map$}.</li>
 *   <li>{@code -Dbench.prof=gc}: JMH profilers, comma-separated: gc adds allocated bytes per operation
 *       to the table, stack prints the hottest methods.</li>
 * </ul>
 * Each fork runs with the product's heap budget, 512 MB. JSON results go to
 * {@code target/jmh-parse-map-<threads>t.json}.
 */
class ParseMapBenchmark {

    private static final int SECONDS = Integer.getInteger("bench.seconds", 1);
    private static final int ITERATIONS = Integer.getInteger("bench.iterations", 2);
    private static final int FORKS = Integer.getInteger("bench.forks", 1);
    private static final String THREADS = System.getProperty("bench.threads", "1,2");
    private static final String INCLUDE = System.getProperty("bench.include", "");
    private static final String PROFILERS = System.getProperty("bench.prof", "");
    private static final List<String> STEPS = List.of("parse", "map", "parseAndMap", "encodeJson");

    @Test
    @Timeout(value = 2, unit = TimeUnit.HOURS)
    void measure() throws Exception {
        requireRealClassPath();
        Path target = Path.of(System.getProperty("basedir", "."), "target");
        System.out.printf("%nParse/map benchmark (JMH): %d cores, JVM %s, 3 + %d iterations of %d s, %d fork(s), load average %.2f, started %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"), ITERATIONS, SECONDS, FORKS,
                loadAverage(), Instant.now());
        Map<String, Map<Integer, Result<?>>> primary = new TreeMap<>();
        Map<String, Result<?>> allocation = new TreeMap<>();
        List<Integer> threadCounts = Arrays.stream(THREADS.split(",")).map(String::trim).map(Integer::valueOf).toList();
        for (int threads : threadCounts) {
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include(ParseMapSteps.class.getName() + "\\." + (INCLUDE.isEmpty() ? "" : ".*" + INCLUDE))
                    .warmupIterations(3).warmupTime(TimeValue.seconds(SECONDS))
                    .measurementIterations(ITERATIONS).measurementTime(TimeValue.seconds(SECONDS))
                    .forks(FORKS).threads(threads)
                    .jvmArgsAppend("-Xms512m", "-Xmx512m")
                    .shouldFailOnError(true)
                    .result(target.resolve("jmh-parse-map-" + threads + "t.json").toString())
                    .resultFormat(ResultFormatType.JSON);
            for (String profiler : PROFILERS.split(",")) {
                if (!profiler.isBlank()) {
                    options.addProfiler(profiler.trim());
                }
            }
            Collection<RunResult> results = new Runner(options.build()).run();
            for (RunResult result : results) {
                String key = result.getParams().getParam("messageType") + " " + step(result);
                primary.computeIfAbsent(key, k -> new TreeMap<>()).put(threads, result.getPrimaryResult());
                Result<?> bytes = result.getSecondaryResults().get("gc.alloc.rate.norm");
                if (bytes != null && threads == threadCounts.get(0)) {
                    allocation.put(key, bytes);
                }
            }
        }
        print(primary, allocation, threadCounts);
        System.out.printf("load average at the end %.2f (1 min); other work on the machine lowers and spreads these figures%n",
                loadAverage());
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String step(RunResult result) {
        String benchmark = result.getParams().getBenchmark();
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    private static void print(Map<String, Map<Integer, Result<?>>> primary, Map<String, Result<?>> allocation,
                              List<Integer> threadCounts) {
        StringBuilder header = new StringBuilder(String.format("%n%-8s %-12s", "message", "step"));
        threadCounts.forEach(t -> header.append(String.format(" %24s", t + " thread(s), ops/s")));
        if (!allocation.isEmpty()) {
            header.append(String.format(" %12s", "B/op"));
        }
        System.out.println(header);
        List<String> keys = new ArrayList<>(primary.keySet());
        keys.sort((a, b) -> a.split(" ")[0].equals(b.split(" ")[0])
                ? Integer.compare(STEPS.indexOf(a.split(" ")[1]), STEPS.indexOf(b.split(" ")[1])) : a.compareTo(b));
        for (String key : keys) {
            String[] parts = key.split(" ");
            StringBuilder row = new StringBuilder(String.format("%-8s %-12s", parts[0], parts[1]));
            for (int threads : threadCounts) {
                Result<?> r = primary.get(key).get(threads);
                if (r == null) {
                    row.append(String.format(" %24s", "-"));
                } else if (Double.isNaN(r.getScoreError())) {
                    row.append(String.format(" %14.0f %9s", r.getScore(), ""));
                } else {
                    row.append(String.format(" %14.0f ± %7.0f", r.getScore(), r.getScoreError()));
                }
            }
            Result<?> bytes = allocation.get(key);
            if (bytes != null) {
                row.append(String.format(" %12.0f", bytes.getScore()));
            }
            System.out.println(row);
        }
    }

    /**
     * JMH starts each fork with {@code -cp} set to this JVM's {@code java.class.path}. Failsafe
     * launches this JVM from a manifest-only surefirebooter jar but sets {@code java.class.path}
     * to the real test class path (the jar's own path is in {@code surefire.real.class.path}), so
     * the forks see every test class and dependency. Should a launcher leave the booter jar
     * there, the forks would find no benchmarks: fail early and say why.
     */
    private static void requireRealClassPath() {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        if (entries.length == 1 && entries[0].contains("surefirebooter")) {
            throw new IllegalStateException("java.class.path is only the surefirebooter jar; JMH forks need the"
                    + " test class path (with this launcher, set Failsafe's useManifestOnlyJar=false)");
        }
    }
}

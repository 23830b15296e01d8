package org.newbornregistry.routes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.HdrHistogram.Histogram;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.newbornregistry.fhir.TestTokens;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Issue 14: the registry against the anchor most registries start from, the HAPI FHIR JPA server
 * starter 8.8.0-1, on the same PostgreSQL server, with the same client, in the same run. Prints
 * numbers; asserts nothing about speed, only that the registry stored every Patient it accepted.
 * <pre>
 * mvn -B -ntp -Pbenchmark -pl routes -am verify -Dit.test=FhirVersusHapiJpaBenchmark -Dfailsafe.failIfNoSpecifiedTests=false
 *     -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dnbr.fuzz.skip=true -Djazzer.skip=true
 *     [-Dbench.seconds=20] [-Dbench.rounds=2] [-Dbench.warm-up-seconds=15] [-Dbench.jvm="-Xmx3g"]
 *     [-Dbench.anchors=../../shared/anchors]
 * </pre>
 * <ul>
 *   <li>One embedded PostgreSQL, durable as the registry runs it (fsync, synchronous commit and full
 *       page writes on), with two databases: {@code registry} and {@code hapi}.</li>
 *   <li>The registry: the packaged jar as a child process on {@code registry}, with authentication
 *       (a development token on every request), validation against its profiles and audit on, as
 *       shipped.</li>
 *   <li>The anchor: {@code run-hapi-jpa.sh} from {@code ../shared/anchors} on {@code hapi} (the first
 *       run builds it into /tmp/hapi-jpa-starter, which takes minutes). Skipped, saying so, when the
 *       script is not there.</li>
 *   <li>Both JVMs get the same options ({@code bench.jvm}, {@code -Xmx3g} as the script defaults to).</li>
 *   <li>The workload of {@code ../shared/bench/fhirbench.py}: Patient creates (one identifier, a name,
 *       gender, birth date) with 1 and 4 clients for {@code bench.seconds} each, then identifier searches
 *       ({@code Patient?identifier=system|value}) of Patients created, one client, each identifier looked
 *       up once (so that no server answers from a cache of an earlier identical search). After a warm-up
 *       of each, the servers take turns: each round runs every step on both, and the one that goes first
 *       changes from round to round.</li>
 *   <li>One Java HTTP client (HTTP/1.1, connections kept alive) sends the same requests, bearer token
 *       included, to both; the starter ignores the token.</li>
 * </ul>
 */
class FhirVersusHapiJpaBenchmark {

    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
    /** Creates with 4 clients on each server before anything is measured, so that both JVMs have compiled their hot paths. */
    private static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("bench.warm-up-seconds", 15));
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
    private static final int[] CLIENTS = {1, 4};
    /** JVM options of both servers: the heap run-hapi-jpa.sh gives the starter unless told otherwise. */
    private static final List<String> JVM = Arrays.asList(System.getProperty("bench.jvm", "-Xmx3g").trim().split("\\s+"));
    /** The project's neighbour {@code ../shared}, seen from the routes module, where Maven runs the benchmark. */
    private static final Path ANCHORS = Path.of(System.getProperty("bench.anchors", "../../shared/anchors")).toAbsolutePath().normalize();
    private static final Path SCRIPT = ANCHORS.resolve("run-hapi-jpa.sh");
    private static final Duration HAPI_START = Duration.ofMinutes(Integer.getInteger("bench.hapi-start-minutes", 55));

    private static final String SYSTEM = "urn:test:nbs";
    /** Identifiers differ from run to run: the registry holds each identifier of a type once. */
    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    /** One token for the whole run: the cost measured is checking it on each request, not minting it. */
    private static final String TOKEN = TestTokens.all();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private static Path work;
    private static EmbeddedPostgres postgres;
    private static AdapterProcess registryProcess;
    private static ProcessHandle hapiProcess;
    private static Server registry;
    private static Server hapi;

    @BeforeAll
    @Timeout(value = 60, unit = TimeUnit.MINUTES) // Why: the first run builds the starter, downloading its dependencies.
    static void start() throws Exception {
        if (!runnable()) {
            // Why not an assumption here: Surefire reports a class aborted in @BeforeAll as 0 tests run, not as skipped.
            return;
        }
        work = Path.of("target", "fhir-versus-hapi-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(work);

        // The durable settings of EmbeddedPostgresAutoConfiguration: the comparison is about writes that survive a crash.
        postgres = EmbeddedPostgres.builder().setDataDirectory(work.resolve("postgres")).setCleanDataDirectory(true)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("autovacuum_naptime", "10s")
                .start();
        try (var connection = postgres.getPostgresDatabase().getConnection(); var statement = connection.createStatement()) {
            statement.execute("create database registry");
            statement.execute("create database hapi");
        }

        registryProcess = new AdapterProcess(work.resolve("registry"), true, JVM, List.of(
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "registry"),
                "--spring.datasource.username=postgres",
                "--nbr.index.reference.port=" + AvailablePortFinder.getNextAvailable()));
        registryProcess.start();
        registry = new Server("registry", registryProcess.url("/fhir"), registryProcess.handle());

        int hapiPort = AvailablePortFinder.getNextAvailable();
        hapiProcess = startHapi(postgres.getJdbcUrl("postgres", "hapi"), hapiPort);
        hapi = new Server("HAPI JPA", "http://127.0.0.1:" + hapiPort + "/fhir", hapiProcess);
        // Why: a JVM killed before @AfterAll must not leave the starter running; it is no child of this JVM.
        ProcessHandle started = hapiProcess;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
    }

    private static boolean runnable() {
        if (!Files.isRegularFile(SCRIPT)) {
            System.out.println("FhirVersusHapiJpaBenchmark skipped: no HAPI JPA anchor script " + SCRIPT
                    + " (../shared next to the project; -Dbench.anchors=DIR)");
            return false;
        }
        if (!Files.exists(AdapterProcess.JAR)) {
            System.out.println("FhirVersusHapiJpaBenchmark skipped: no packaged jar " + AdapterProcess.JAR.toAbsolutePath());
            return false;
        }
        return true;
    }

    /** run-hapi-jpa.sh JDBC_URL PORT USER PASSWORD: builds the starter if need be, starts it, prints its PID once it answers. */
    private static ProcessHandle startHapi(String jdbcUrl, int port) throws Exception {
        Path out = work.resolve("run-hapi-jpa.out");
        ProcessBuilder script = new ProcessBuilder("bash", SCRIPT.toString(), jdbcUrl, String.valueOf(port), "postgres", "postgres")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        script.environment().put("HAPI_JPA_OPTS", String.join(" ", JVM));
        System.out.printf("starting the HAPI JPA starter with %s (the first run builds it: minutes)%n", SCRIPT);
        Process running = script.start();
        try {
            if (!running.waitFor(HAPI_START.toMinutes(), TimeUnit.MINUTES)) {
                throw new IllegalStateException("run-hapi-jpa.sh did not finish in " + HAPI_START + "; output in " + out);
            }
        } catch (InterruptedException | RuntimeException e) {
            // Why: until the script prints its PID, the starter it launched is known only as its descendant.
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
            throw e;
        }
        String output = Files.readString(out).strip();
        if (running.exitValue() != 0) {
            throw new IllegalStateException("run-hapi-jpa.sh failed (" + running.exitValue() + "):\n" + output);
        }
        String[] lines = output.split("\n");
        long pid = Long.parseLong(lines[lines.length - 1].strip());
        return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
    }

    @AfterAll
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    static void stop() throws Exception {
        if (hapiProcess != null && hapiProcess.isAlive()) {
            hapiProcess.destroy();
            try {
                hapiProcess.onExit().get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                hapiProcess.destroyForcibly();
            }
        }
        if (registryProcess != null) {
            registryProcess.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.HOURS) // Why: 4 runs per round of bench.seconds each, and their searches, on two servers.
    void measure() throws Exception {
        assumeThat(SCRIPT).as("the HAPI JPA anchor script %s (../shared next to the project; -Dbench.anchors=DIR)", SCRIPT)
                .isRegularFile();
        assumeThat(AdapterProcess.JAR).as("the packaged jar (mvn package runs before the integration tests)").exists();
        String version;
        try (var connection = postgres.getPostgresDatabase().getConnection(); var statement = connection.createStatement();
             var result = statement.executeQuery("show server_version")) {
            result.next();
            version = result.getString(1);
        }
        System.out.printf("%nFHIR Patient creates and identifier searches, registry vs HAPI FHIR JPA starter 8.8.0-1%n");
        System.out.printf("%d cores; one embedded PostgreSQL %s (fsync, synchronous_commit, full_page_writes on), databases"
                        + " registry and hapi; %s per run, %d rounds after a warm-up of %s; Java HttpClient, HTTP/1.1 keep-alive%n",
                Runtime.getRuntime().availableProcessors(), version, MEASURE, ROUNDS, WARM_UP);
        for (Server server : List.of(registry, hapi)) {
            System.out.printf("%-9s JVM options %s (heap options: %s), %s%n", server.name, server.jvmOptions(), server.heapOptions(),
                    server.base);
        }
        System.out.println("registry: packaged jar, authentication (bearer token), validation against its profiles and audit on");
        System.out.println("load average before: " + loadAverage());

        for (Server server : List.of(registry, hapi)) {
            creates(server, 4, WARM_UP, "warm");
        }
        List<Row> rows = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            List<Server> order = round % 2 == 1 ? List.of(registry, hapi) : List.of(hapi, registry);
            for (int clients : CLIENTS) {
                Run[] runs = new Run[2];
                for (Server server : order) {
                    runs[server == registry ? 0 : 1] = creates(server, clients, MEASURE, "r" + round + "c" + clients);
                }
                rows.add(new Row(round, clients, runs[0], runs[1]));
            }
        }

        for (Server server : List.of(registry, hapi)) {
            server.prepareSearches();
            searches(server, Duration.ofSeconds(3), new Histogram(3));
        }
        Histogram registrySearches = new Histogram(3);
        Histogram hapiSearches = new Histogram(3);
        for (int round = 1; round <= ROUNDS; round++) {
            List<Server> order = round % 2 == 1 ? List.of(registry, hapi) : List.of(hapi, registry);
            for (Server server : order) {
                searches(server, MEASURE, server == registry ? registrySearches : hapiSearches);
            }
        }

        report(rows, registrySearches, hapiSearches);
        System.out.println("load average after: " + loadAverage() + " (other processes on the box skew both servers' figures)");
        System.out.println("issue 14 asks for registry/HAPI >= 3 in creates and a registry identifier search p50 <= 2 ms");

        long registryPatients = count(postgres.getJdbcUrl("postgres", "registry"),
                "select count(*) from resource where res_type = 'Patient' and not deleted");
        long hapiPatients = count(postgres.getJdbcUrl("postgres", "hapi"),
                "select count(*) from hfj_resource where res_type = 'Patient' and res_deleted_at is null");
        System.out.printf("Patients stored: registry %d of %d accepted, HAPI JPA %d of %d accepted%n",
                registryPatients, registry.created.size(), hapiPatients, hapi.created.size());
        assertThat(registryPatients).as("Patients in the registry's database, each one it answered 201 to")
                .isEqualTo(registry.created.size());
    }

    /** {@code clients} clients, each creating Patients back to back for {@code duration}. */
    private static Run creates(Server server, int clients, Duration duration, String phase) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Histogram latencies = new Histogram(3);
        AtomicInteger sequence = new AtomicInteger();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    int n = sequence.incrementAndGet();
                    String value = TAG + "-" + phase + "-" + n;
                    HttpRequest request = HttpRequest.newBuilder(URI.create(server.base + "/Patient"))
                            .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                            .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(newborn(n, value))).build();
                    long sent = System.nanoTime();
                    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                    long micros = (System.nanoTime() - sent) / 1000;
                    if (response.statusCode() != 201) {
                        throw new IllegalStateException(server.name + " answered " + response.statusCode() + " to a create: "
                                + abbreviate(response.body()));
                    }
                    server.created.add(value);
                    synchronized (latencies) {
                        latencies.recordValue(micros);
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Run(latencies, (System.nanoTime() - start) / 1e9);
    }

    /**
     * What fhirbench.py sends, but born in the last four weeks: one identifier, a name, gender and birth date, valid
     * against the registry's nbr-newborn-patient profile.
     */
    private static String newborn(int n, String value) {
        return """
                {"resourceType":"Patient","identifier":[{"system":"%s","value":"%s"}],\
                "name":[{"family":"Fam%d","given":["Baby"]}],"gender":"%s","birthDate":"%s"}"""
                .formatted(SYSTEM, value, n % 50, n % 2 == 0 ? "female" : "male", LocalDate.now().minusDays(1 + n % 28));
    }

    /** One client searching by identifier, each identifier once, for {@code duration} or until none is left. */
    private static void searches(Server server, Duration duration, Histogram latencies) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end && server.toSearch.hasNext()) {
            String value = server.toSearch.next();
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.base + "/Patient?identifier="
                            + URLEncoder.encode(SYSTEM + "|" + value, StandardCharsets.UTF_8)))
                    .header("Accept", "application/fhir+json").header("Authorization", "Bearer " + TOKEN)
                    .timeout(Duration.ofSeconds(60)).GET().build();
            long sent = System.nanoTime();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            latencies.recordValue((System.nanoTime() - sent) / 1000);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(server.name + " answered " + response.statusCode() + " to a search: "
                        + abbreviate(response.body()));
            }
            int found = JSON.readTree(response.body()).path("entry").size();
            if (found != 1) {
                throw new IllegalStateException(server.name + " found " + found + " Patients with identifier " + value);
            }
        }
    }

    private static void report(List<Row> rows, Histogram registrySearches, Histogram hapiSearches) {
        System.out.println();
        System.out.println("| round | clients | registry creates/s | HAPI JPA creates/s | registry/HAPI | registry p50 / p99 ms | HAPI p50 / p99 ms |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "| %d | %d | %.1f | %.1f | %.2f | %.1f / %.1f | %.1f / %.1f |%n", row.round, row.clients,
                    row.registry.perSecond(), row.hapi.perSecond(), row.registry.perSecond() / row.hapi.perSecond(),
                    millis(row.registry.latencies, 50), millis(row.registry.latencies, 99),
                    millis(row.hapi.latencies, 50), millis(row.hapi.latencies, 99));
        }
        for (int clients : CLIENTS) {
            double registryRate = pooled(rows, clients, true);
            double hapiRate = pooled(rows, clients, false);
            System.out.printf(Locale.ROOT, "| all | %d | %.1f | %.1f | %.2f | | |%n", clients, registryRate, hapiRate,
                    registryRate / hapiRate);
        }
        System.out.println();
        System.out.println("| identifier search, 1 client | lookups | p50 ms | p99 ms |");
        System.out.println("|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| registry | %d | %.2f | %.2f |%n", registrySearches.getTotalCount(),
                millis(registrySearches, 50), millis(registrySearches, 99));
        System.out.printf(Locale.ROOT, "| HAPI JPA | %d | %.2f | %.2f |%n", hapiSearches.getTotalCount(),
                millis(hapiSearches, 50), millis(hapiSearches, 99));
        System.out.println();
    }

    /** All creates of the rounds at {@code clients} over all their seconds. */
    private static double pooled(List<Row> rows, int clients, boolean ofRegistry) {
        List<Run> runs = rows.stream().filter(row -> row.clients == clients).map(row -> ofRegistry ? row.registry : row.hapi).toList();
        return runs.stream().mapToLong(run -> run.latencies.getTotalCount()).sum() / runs.stream().mapToDouble(Run::seconds).sum();
    }

    private static double millis(Histogram latencies, double percentile) {
        return latencies.getValueAtPercentile(percentile) / 1000.0;
    }

    private static long count(String jdbcUrl, String sql) throws Exception {
        try (var connection = DriverManager.getConnection(jdbcUrl); var statement = connection.createStatement();
             var result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Linux's 1, 5 and 15 minute load averages: whether the box was quiet while the servers were measured. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return String.join(" ", fields[0], fields[1], fields[2]);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String abbreviate(String body) {
        return body.length() > 500 ? body.substring(0, 500) + "..." : body;
    }

    /** A server under test: where it answers, its JVM, the identifiers it accepted and those left to search for. */
    private static final class Server {
        final String name;
        final String base;
        final ProcessHandle process;
        final List<String> created = Collections.synchronizedList(new ArrayList<>());
        Iterator<String> toSearch = Collections.emptyIterator();

        Server(String name, String base, ProcessHandle process) {
            this.name = name;
            this.base = base;
            this.process = process;
        }

        /** Every identifier created, in random order, each to be searched for once. */
        void prepareSearches() {
            List<String> shuffled = new ArrayList<>(created);
            Collections.shuffle(shuffled);
            toSearch = shuffled.iterator();
        }

        /** The JVM's options before the main class or jar, as the operating system reports its command line. */
        String jvmOptions() {
            List<String> options = new ArrayList<>();
            for (String argument : process.info().arguments().orElse(new String[0])) {
                if (argument.equals("-jar") || !argument.startsWith("-")) {
                    break;
                }
                options.add(argument);
            }
            return String.join(" ", options);
        }

        String heapOptions() {
            String heap = Arrays.stream(jvmOptions().split(" "))
                    .filter(option -> option.startsWith("-Xm") || option.contains("RAMPercentage") || option.contains("HeapSize"))
                    .collect(Collectors.joining(" "));
            return heap.isEmpty() ? "none, the JVM's default (a quarter of the memory)" : heap;
        }
    }

    private record Run(Histogram latencies, double seconds) {
        double perSecond() {
            return latencies.getTotalCount() / seconds;
        }
    }

    private record Row(int round, int clients, Run registry, Run hapi) {
    }
}

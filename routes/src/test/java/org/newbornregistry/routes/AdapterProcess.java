package org.newbornregistry.routes;

import org.apache.camel.test.AvailablePortFinder;
import org.newbornregistry.fhir.TestTokens;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar README.md tells people to run, as a child process on a data directory of its
 * own, with ports fixed for its lifetime so that a restart comes back where clients expect it. The
 * test key of {@link TestTokens} signs its tokens. Each start logs to its own file in the directory.
 */
final class AdapterProcess implements AutoCloseable {

    /** The jar {@code mvn package} builds before the integration tests run. */
    static final Path JAR = Path.of("target", "nbr-adapter.jar");
    private static final HttpClient HTTP = TestTokens.http();

    private final Path work;
    // Why: below Linux's ephemeral range (32768-60999), so that no client socket probing a restarting adapter can
    // take the port by connecting to itself (TCP self-connect) and keep the adapter from binding it again.
    private final int httpPort = AvailablePortFinder.getNextAvailable(20000 + ThreadLocalRandom.current().nextInt(10000), 32000);
    private final int mllpPort = AvailablePortFinder.getNextAvailable(httpPort + 1, 32000);
    private final List<String> command = new ArrayList<>();
    private Process process;
    private int starts;

    /**
     * @param work      the directory for its PostgreSQL data, keys and logs
     * @param durable   whether PostgreSQL syncs its commits to disk (what surviving a crash needs)
     * @param arguments further {@code --property=value} arguments
     */
    AdapterProcess(Path work, boolean durable, List<String> arguments) {
        this(work, durable, List.of(), arguments);
    }

    /**
     * @param jvmOptions options of the JVM before {@code -jar}, e.g. the heap a benchmark gives it
     */
    AdapterProcess(Path work, boolean durable, List<String> jvmOptions, List<String> arguments) {
        this.work = work.toAbsolutePath();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString(),
                "--server.port=" + httpPort,
                "--nbr.mllp.port=" + mllpPort,
                "--nbr.database.embedded.data-dir=" + this.work.resolve("postgres"),
                "--nbr.database.embedded.durable=" + durable,
                "--nbr.index.pseudonym-key-file=" + this.work.resolve("index-pseudonym.key"),
                "--nbr.audit.checkpoint-key-file=" + this.work.resolve("audit-checkpoint.key"),
                "--nbr.audit.checkpoint-file=" + checkpointFile(),
                "--nbr.security.dev-key-file=" + TestTokens.keyFile().toAbsolutePath(),
                "--nbr.security.dev-tokens-dir=" + this.work.resolve("dev-tokens")));
        command.addAll(arguments);
    }

    /** The file the adapter writes its audit checkpoints to, outside its database. */
    Path checkpointFile() {
        return work.resolve("audit-checkpoints.log");
    }

    /**
     * Starts the adapter and waits until it reports itself healthy; fails if it dies first.
     *
     * @return how long it took from starting the process to the first healthy answer
     */
    Duration start() {
        long began = System.nanoTime();
        try {
            Files.createDirectories(work);
            starts++;
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(new File(work.toFile(), "adapter-" + starts + ".log")).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> !process.isAlive() || status("GET", "/actuator/health", null) == 200);
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        assertThat(process.isAlive()).as("the adapter started (log in %s)", log()).isTrue();
        return took;
    }

    /** Kills the adapter as a power cut would: SIGKILL, no shutdown hook, no chance to flush or close. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed").isTrue();
    }

    /** Asks the adapter to stop (SIGTERM) and waits, killing it after a minute. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** The running JVM, e.g. to read back the options it runs with. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    int httpPort() {
        return httpPort;
    }

    int mllpPort() {
        return mllpPort;
    }

    /** The log of the latest start. */
    Path log() {
        return work.resolve("adapter-" + starts + ".log");
    }

    String url(String path) {
        return "http://localhost:" + httpPort + path;
    }

    /** The status of a request with a token of every scope, or -1 if the adapter does not answer. */
    int status(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/fhir+json").timeout(Duration.ofSeconds(30));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The body of a GET with a token of every scope. */
    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return response.body();
    }
}

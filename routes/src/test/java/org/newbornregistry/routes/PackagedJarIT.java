package org.newbornregistry.routes;

import org.newbornregistry.fhir.TestTokens;
import org.newbornregistry.fhir.security.Role;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The executable jar README.md tells people to run, started as a child process, as they would:
 * it comes up on its embedded PostgreSQL and its FHIR endpoint validates what it is sent. Why:
 * the other tests run on Maven's test classpath, which hid a validator missing from the jar.
 */
class PackagedJarIT {

    private static final Path JAR = Path.of("target", "nbr-adapter.jar");
    private static final int HTTP_PORT = AvailablePortFinder.getNextAvailable();
    private static final HttpClient HTTP = TestTokens.http();
    private static Process adapter;

    @BeforeAll
    static void start() throws Exception {
        assumeThat(JAR).as("the packaged jar (mvn package runs before the integration tests)").exists();
        Path work = Path.of("target", "packaged-jar-" + UUID.randomUUID());
        Files.createDirectories(work);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toAbsolutePath().toString(),
                "--server.port=" + HTTP_PORT,
                "--nbr.mllp.port=" + AvailablePortFinder.getNextAvailable(),
                "--nbr.index.reference.port=" + AvailablePortFinder.getNextAvailable(),
                "--nbr.database.embedded.data-dir=" + work.resolve("postgres").toAbsolutePath(),
                "--nbr.database.embedded.durable=false",
                "--nbr.index.pseudonym-key-file=" + work.resolve("index-pseudonym.key").toAbsolutePath(),
                "--nbr.audit.checkpoint-key-file=" + work.resolve("audit-checkpoint.key").toAbsolutePath(),
                "--nbr.security.dev-key-file=" + TestTokens.keyFile().toAbsolutePath(),
                "--nbr.security.dev-tokens-dir=" + work.resolve("dev-tokens").toAbsolutePath());
        adapter = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new File(work.toFile(), "adapter.log")).start();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> !adapter.isAlive() || status("GET", "/actuator/health", null) == 200);
        assertThat(adapter.isAlive()).as("the adapter started (log in %s)", work.resolve("adapter.log")).isTrue();
    }

    @AfterAll
    static void stop() throws Exception {
        if (adapter != null) {
            adapter.destroy();
            if (!adapter.waitFor(60, TimeUnit.SECONDS)) {
                adapter.destroyForcibly();
            }
        }
    }

    @Test
    void shouldServeFhirAndRefuseAnInvalidGenotypeWith422() throws Exception {
        // given
        String genotype = """
                {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"84413-4"}]},
                 "specimen":{"reference":"Specimen/x"},"component":[{"code":{"coding":[{"system":
                 "https://fhir.newbornregistry.org/CodeSystem/str-locus","code":"TH01"}]},"valueString":"9.33"}]}""";

        // then
        assertThat(status("GET", "/fhir/metadata", null)).isEqualTo(200);
        assertThat(status("POST", "/fhir/Observation", genotype)).as("validated by the registry's profiles").isEqualTo(422);
    }

    @Test
    void shouldVerifyTheAuditLogFromTheCommandLine() throws Exception {
        // given: some audited access, integrated into a signed checkpoint
        assertThat(status("GET", "/fhir/Patient?_id=nobody", null)).isEqualTo(200);
        assertThat(status("POST", "/audit/log/checkpoint", null)).isEqualTo(200);

        Path token = Files.writeString(Files.createTempFile(Path.of("target"), "auditor", ".jwt"), TestTokens.of(Role.AUDITOR));

        // when
        Process verify = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toAbsolutePath().toString(), "verify-audit", "--token", token.toString(), "http://localhost:" + HTTP_PORT).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        // then
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).contains("\"verified\":true");
    }

    private static int status(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + HTTP_PORT + path))
                .header("Content-Type", "application/fhir+json").timeout(Duration.ofSeconds(30));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}

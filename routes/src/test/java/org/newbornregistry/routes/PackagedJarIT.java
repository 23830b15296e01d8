package org.newbornregistry.routes;

import org.newbornregistry.fhir.TestTokens;
import org.newbornregistry.fhir.security.Role;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The executable jar README.md tells people to run, started as a child process, as they would:
 * it comes up on its embedded PostgreSQL and its FHIR endpoint validates what it is sent. Why:
 * the other tests run on Maven's test classpath, which hid a validator missing from the jar.
 */
class PackagedJarIT {

    private static AdapterProcess adapter;

    @BeforeAll
    static void start() {
        assumeThat(AdapterProcess.JAR).as("the packaged jar (mvn package runs before the integration tests)").exists();
        adapter = new AdapterProcess(Path.of("target", "packaged-jar-" + UUID.randomUUID()), false,
                List.of("--nbr.index.reference.port=" + AvailablePortFinder.getNextAvailable()));
        adapter.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (adapter != null) {
            adapter.stop();
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
        assertThat(adapter.status("GET", "/fhir/metadata", null)).isEqualTo(200);
        assertThat(adapter.status("POST", "/fhir/Observation", genotype)).as("validated by the registry's profiles").isEqualTo(422);
    }

    @Test
    void shouldRunACommandInsteadOfStartingTheAdapterWhenTheFirstArgumentNamesOne() throws Exception {
        // when
        Process version = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                AdapterProcess.JAR.toAbsolutePath().toString(), "--version").redirectErrorStream(true).start();
        String output = new String(version.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        // then: the version from the jar's build information, and no Spring
        assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(version.exitValue()).as(output).isZero();
        assertThat(output.trim()).matches("nbr-adapter \\d+\\.\\d+\\.\\d+\\S*");
    }

    @Test
    void shouldVerifyTheAuditLogFromTheCommandLine() throws Exception {
        // given: some audited access, integrated into a signed checkpoint
        assertThat(adapter.status("GET", "/fhir/Patient?_id=nobody", null)).isEqualTo(200);
        assertThat(adapter.status("POST", "/audit/log/checkpoint", null)).isEqualTo(200);

        Path token = Files.writeString(Files.createTempFile(Path.of("target"), "auditor", ".jwt"), TestTokens.of(Role.AUDITOR));

        // when
        Process verify = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                AdapterProcess.JAR.toAbsolutePath().toString(), "verify-audit", "--token-file", token.toString(), "--url", adapter.url("")).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        // then
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).contains("\"verified\":true");
    }
}

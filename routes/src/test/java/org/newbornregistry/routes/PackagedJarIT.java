package org.newbornregistry.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.newbornregistry.conformance.Samples;
import org.newbornregistry.fhir.TestTokens;
import org.newbornregistry.fhir.security.Role;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.newbornregistry.routes.mllp.MllpTestClient;
import org.newbornregistry.routes.mllp.PersonalValues;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The executable jar README.md tells people to run, started as a child process, as they would:
 * it comes up on its embedded PostgreSQL and its FHIR endpoint validates what it is sent. Why:
 * the other tests run on Maven's test classpath, which hid a validator missing from the jar. It runs
 * with the JSON log format (profile {@code json-logs}), which only a process of its own can switch on;
 * the in-process tests cover the text format.
 */
class PackagedJarIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static AdapterProcess adapter;

    @BeforeAll
    static void start() {
        assertThat(AdapterProcess.JAR).as("the packaged jar (mvn verify packages it before the integration tests)").exists();
        adapter = new AdapterProcess(Path.of("target", "packaged-jar-" + UUID.randomUUID()), false,
                List.of("--nbr.index.reference.port=" + AvailablePortFinder.getNextAvailable(), "--spring.profiles.active=json-logs"));
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
        String output = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        // then: the version from the jar's build information, and no Spring
        assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(version.exitValue()).as(output).isZero();
        assertThat(output.trim()).matches("nbr-adapter \\d+\\.\\d+\\.\\d+\\S*");
    }

    @Test
    void shouldLogAMessageInJsonWithItsControlAndExchangeIdsAndNoPersonalValue() throws Exception {
        // given
        String birth = new String(Samples.v2("adt-a01-newborn-twin-b.hl7"), StandardCharsets.ISO_8859_1);
        String controlId = PersonalValues.controlId(birth).orElseThrow();

        // when
        try (MllpTestClient client = new MllpTestClient(adapter.mllpPort())) {
            assertThat(client.send(birth.getBytes(StandardCharsets.ISO_8859_1))).contains("\rMSA|AA|" + controlId);
        }

        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(adapter.log()).contains(controlId));
        List<String> lines = Files.readAllLines(adapter.log());
        List<JsonNode> ofTheMessage = new ArrayList<>();
        for (String line : lines.stream().filter(l -> l.contains(controlId) || l.contains("InboundMessageService")).toList()) {
            JsonNode json = JSON.readTree(line);
            if (controlId.equals(mdc(json, "nbr", "msgId"))) {
                ofTheMessage.add(json);
            }
        }
        assertThat(ofTheMessage).as("JSON lines logged while the message was processed").isNotEmpty()
                .allSatisfy(json -> assertThat(mdc(json, "camel", "exchangeId")).as("Camel's exchange id").isNotBlank());
        Set<String> personal = new TreeSet<>(PersonalValues.of(birth));
        personal.remove(controlId);
        String log = String.join("\n", lines);
        assertThat(personal).as("values looked for").hasSizeGreaterThan(5)
                .allSatisfy(value -> assertThat(PersonalValues.appearsIn(value, log)).as("%s in the log", value).isFalse());
    }

    /** An MDC value of a JSON log line: Boot's ECS format nests dotted keys ({"nbr":{"msgId":...}}); flat also counts. */
    private static String mdc(JsonNode line, String prefix, String key) {
        JsonNode nested = line.path(prefix).path(key);
        return nested.isTextual() ? nested.asText() : line.path(prefix + "." + key).asText(null);
    }

    @Test
    void shouldVerifyTheAuditLogFromTheCommandLine() throws Exception {
        // given: some audited access, integrated into a signed checkpoint, which the adapter wrote to its file too
        assertThat(adapter.status("GET", "/fhir/Patient?_id=nobody", null)).isEqualTo(200);
        assertThat(adapter.status("POST", "/audit/log/checkpoint", null)).isEqualTo(200);

        Path token = Files.writeString(Files.createTempFile(Path.of("target"), "auditor", ".jwt"), TestTokens.of(Role.AUDITOR));

        // when
        Process verify = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                AdapterProcess.JAR.toAbsolutePath().toString(), "verify-audit", "--token-file", token.toString(), "--url", adapter.url(""),
                "--checkpoint", adapter.checkpointFile().toString()).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        // then
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).contains("\"verified\":true");
        assertThat(Files.readString(adapter.checkpointFile())).contains("newborn-registry.example/audit");
    }
}

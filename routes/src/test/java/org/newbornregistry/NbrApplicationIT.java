package org.newbornregistry;

import org.newbornregistry.fhir.TestTokens;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole application as README's run command starts it, on a throw-away data directory. */
@CamelSpringBootTest
@SpringBootTest(classes = NbrApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NbrApplicationIT {

    // Why: not a @TempDir, which JUnit deletes while the cached context (and its PostgreSQL) still runs.
    @DynamicPropertySource
    static void embeddedDatabase(DynamicPropertyRegistry registry) {
        registry.add("nbr.database.embedded.data-dir", () -> "target/embedded-postgres/" + UUID.randomUUID());
        registry.add("nbr.audit.checkpoint-file", () -> "target/audit-checkpoints/" + UUID.randomUUID() + ".log");
        registry.add("nbr.database.embedded.durable", () -> "false");
    }

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    private final HttpClient http = TestTokens.http();

    @Test
    void shouldServeFhirRegistryAndReportHealthyWithCamelRunning() throws Exception {
        // when
        HttpResponse<String> metadata = get("/fhir/metadata");
        HttpResponse<String> health = get("/actuator/health");
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/Patient"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\",\"birthDate\":\"2024-05-01\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.body()).contains("\"resourceType\":\"CapabilityStatement\"", "Newborn Registry Adapter");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(camel.getStatus()).isEqualTo(ServiceStatus.Started);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

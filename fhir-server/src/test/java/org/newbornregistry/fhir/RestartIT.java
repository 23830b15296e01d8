package org.newbornregistry.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry stopped and started again on the same data directory: a second embedded
 * PostgreSQL per run of this class, on purpose, since the restart is what is tested.
 */
class RestartIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @TempDir
    Path dataDir;

    @Test
    void shouldFindResourcesAndServeNextPageLinksAfterRestart() {
        // given
        String system = "https://example.org/sid/restart";
        String patientId;
        String pagingQuery;
        try (ConfigurableApplicationContext first = start()) {
            IGenericClient client = client(first);
            patientId = client.create().resource(Fixtures.newborn(system, "R1")).execute().getId().getIdPart();
            client.create().resource(Fixtures.newborn(system, "R2")).execute();
            Bundle page = client.search().byUrl("Patient?identifier=" + system + "|&_count=1").returnBundle(Bundle.class).execute();
            String next = page.getLink(Bundle.LINK_NEXT).getUrl();
            pagingQuery = next.substring(next.indexOf('?'));
        }

        // when
        try (ConfigurableApplicationContext second = start()) {
            IGenericClient client = client(second);
            Patient patient = client.read().resource(Patient.class).withId(patientId).execute();
            Bundle nextPage = client.search().byUrl(baseUrl(second) + pagingQuery).returnBundle(Bundle.class).execute();

            // then
            assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("R1");
            assertThat(nextPage.getEntry()).hasSize(1);
            assertThat(nextPage.getEntryFirstRep().getResource().getIdElement().getIdPart()).isNotEqualTo(patientId);
        }
    }

    @Test
    void shouldReportHealthDownWhenTheDatabaseIsUnreachable() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            // given
            HttpClient http = TestTokens.http();
            URI health = URI.create("http://localhost:" + port(context) + "/actuator/health");
            assertThat(http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);

            // when
            context.getBean(EmbeddedPostgres.class).close();
            HttpResponse<String> down = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());

            // then
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("DOWN");
        }
    }

    private ConfigurableApplicationContext start() {
        // Arguments, not default properties: they must win over the test application.yml's data-dir.
        return new SpringApplicationBuilder(RegistryTestApplication.class)
                .run("--server.port=0", "--nbr.database.embedded.data-dir=" + dataDir,
                        "--spring.datasource.hikari.connection-timeout=2000");
    }

    private static IGenericClient client(ConfigurableApplicationContext context) {
        return TestTokens.authorised(FHIR.newRestfulGenericClient(baseUrl(context)));
    }

    private static String baseUrl(ConfigurableApplicationContext context) {
        return "http://localhost:" + port(context) + "/fhir";
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}

package org.newbornregistry.fhir;

import ca.uhn.fhir.context.FhirContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code spring.datasource.url} set, the registry uses that server and starts nothing
 * embedded. The "external" server here is a PostgreSQL the test starts itself, outside the
 * application.
 */
class ExternalDatabaseIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldUseConfiguredDatabaseAndStartNoEmbeddedServer() throws Exception {
        try (EmbeddedPostgres external = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
                .setServerConfig("fsync", "off").start()) {
            // given
            new JdbcTemplate(external.getPostgresDatabase()).execute("create database registry");
            String url = external.getJdbcUrl("postgres", "registry");

            // when
            try (ConfigurableApplicationContext app = new SpringApplicationBuilder(RegistryTestApplication.class)
                    .run("--server.port=0", "--spring.datasource.url=" + url, "--spring.datasource.username=postgres")) {
                int port = ((WebServerApplicationContext) app).getWebServer().getPort();
                String id = TestTokens.authorised(FhirContext.forR4Cached().newRestfulGenericClient("http://localhost:" + port + "/fhir"))
                        .create().resource(Fixtures.newborn("https://example.org/sid/external", "E1")).execute().getId().getIdPart();

                // then
                assertThat(app.getBeanNamesForType(EmbeddedPostgres.class)).isEmpty();
                Integer rows = new JdbcTemplate(external.getDatabase("postgres", "registry"))
                        .queryForObject("select count(*) from resource where res_id = ?", Integer.class, id);
                assertThat(rows).isEqualTo(1);
            }
        }
    }
}

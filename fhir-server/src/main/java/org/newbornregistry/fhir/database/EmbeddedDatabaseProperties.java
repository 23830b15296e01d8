package org.newbornregistry.fhir.database;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;

/**
 * The embedded PostgreSQL server ({@code nbr.database.embedded.*}), started by the application
 * when no {@code spring.datasource.url} is configured.
 *
 * @param dataDir directory of the server's data files, kept across restarts; default {@code ./data/postgres}
 * @param port    TCP port on loopback; 0 picks a free one at each start; default 0
 * @param durable whether commits are flushed to disk (fsync); turn off only for throw-away test
 *                databases; default true
 */
@Validated
@ConfigurationProperties(prefix = "nbr.database.embedded")
public record EmbeddedDatabaseProperties(
        @DefaultValue("./data/postgres") @NotNull Path dataDir,
        @DefaultValue("0") @Min(0) @Max(65535) int port,
        @DefaultValue("true") boolean durable) {
}

package org.newbornregistry.routes.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The reference national-index peer ({@code nbr.index.reference.*}) the adapter starts for
 * tests and the default run, in place of the real index.
 *
 * @param enabled whether it runs; default true (turn it off when a real index is configured)
 * @param host    address to bind; default 127.0.0.1, as it holds genotypes
 * @param port    TCP port; default 8090
 */
@Validated
@ConfigurationProperties(prefix = "nbr.index.reference")
public record ReferenceIndexProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("127.0.0.1") @NotBlank String host,
        @DefaultValue("8090") @Min(0) @Max(65535) int port) {
}

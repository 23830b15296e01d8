package org.newbornregistry.routes.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The MLLP listener ({@code nbr.mllp.*}).
 *
 * @param enabled        whether the listener runs; default true
 * @param host           address to bind; default 0.0.0.0
 * @param port           TCP port; default 2575
 * @param maxConnections most concurrent connections served; default 50
 * @param receiveTimeout milliseconds to wait for the rest of a started message before resetting the connection; default 15000
 * @param idleTimeout    milliseconds a connection may stay idle before it is closed, 0 for never; default 0
 */
@Validated
@ConfigurationProperties(prefix = "nbr.mllp")
public record MllpProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0.0.0.0") @NotBlank String host,
        @DefaultValue("2575") @Min(1) @Max(65535) int port,
        @DefaultValue("50") @Min(1) int maxConnections,
        @DefaultValue("15000") @Min(100) int receiveTimeout,
        @DefaultValue("0") @Min(0) int idleTimeout) {
}

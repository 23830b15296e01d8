package org.newbornregistry.routes.config;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * What readiness ({@code /actuator/health/readiness}) tolerates ({@code nbr.health.*}).
 *
 * @param outboxStallThreshold how old the oldest outbox row that could be delivered may grow before the adapter
 *                             reports itself OUT_OF_SERVICE (the index takes nothing, or the route is stuck);
 *                             default 15 minutes, above the back-off of a row's last attempts
 */
@Validated
@ConfigurationProperties(prefix = "nbr.health")
public record HealthProperties(
        @DefaultValue("15m") @NotNull Duration outboxStallThreshold) {
}

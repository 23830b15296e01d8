package org.newbornregistry.routes.config;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Retention of genotypes and index entries ({@code nbr.retention.*}). The defaults are the safe
 * ones: retention runs daily, and a genotype gets a grace period only for its consent or birth
 * record to arrive.
 *
 * @param enabled      whether the retention schedule runs; default true
 * @param interval     time between runs; default 1 day
 * @param initialDelay time from start-up to the first run; default 5 minutes
 * @param gracePeriod  how long a genotype may wait for its consent or its link to a birth record
 *                     before retention erases it; default 30 days
 */
@Validated
@ConfigurationProperties(prefix = "nbr.retention")
public record RetentionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1d") @NotNull Duration interval,
        @DefaultValue("5m") @NotNull Duration initialDelay,
        @DefaultValue("30d") @NotNull Duration gracePeriod) {
}

package org.newbornregistry.fhir.server;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the FHIR registry endpoint ({@code nbr.fhir.*}).
 *
 * @param basePath        servlet path of the FHIR endpoint; default {@code /fhir}
 * @param maxRequestSize  largest request body accepted; larger ones get 413; default 16MB
 * @param defaultPageSize search page size when the client gives no {@code _count}; default 20
 * @param maxPageSize     largest page size a client may ask for with {@code _count}; default 500
 * @param maxIncludes     most resources {@code _include}/{@code _revinclude} add to one page; default 1000
 * @param searchRetention how long next-page links of a search stay valid; default 24 hours
 * @param validation      profile validation of what clients send
 */
@Validated
@ConfigurationProperties(prefix = "nbr.fhir")
public record FhirServerProperties(
        @DefaultValue("/fhir") @NotBlank String basePath,
        @DefaultValue("16MB") DataSize maxRequestSize,
        @DefaultValue("20") @Positive int defaultPageSize,
        @DefaultValue("500") @Positive int maxPageSize,
        @DefaultValue("1000") @Min(1) int maxIncludes,
        @DefaultValue("PT24H") Duration searchRetention,
        @DefaultValue Validation validation) {

    /**
     * Profile validation of resources that arrive over FHIR ({@code nbr.fhir.validation.*}).
     *
     * @param enabled       whether creates, updates and Bundle entries are validated against base R4 and the
     *                      registry's profiles before they are stored (invalid: 422); default true
     * @param snapshotCache where the registry's profiles with their generated snapshots are kept between starts,
     *                      one file per package and HAPI version; empty to generate them at every start (about 9 s);
     *                      default ./data/cache
     */
    public record Validation(@DefaultValue("true") boolean enabled, @DefaultValue("./data/cache") String snapshotCache) {
    }
}

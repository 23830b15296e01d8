package org.newbornregistry.routes.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;

/**
 * Forwarding to the national DNA index ({@code nbr.index.*}). There is one destination, the
 * national missing-children index: the purpose firewall is that nothing here can name another.
 *
 * @param enabled          whether the forwarding route runs; default true
 * @param url              the index's base URL; default the reference peer, http://127.0.0.1:8090/index
 * @param format           CMF (XML) or FHIR; default CMF
 * @param pseudonymKey     the HMAC key (base64, at least 32 bytes); secret: set it through the
 *                         environment ({@code NBR_INDEX_PSEUDONYM_KEY}); never stored in the database
 * @param pseudonymKeyFile where a development key is kept when no key is configured; default ./data/index-pseudonym.key
 * @param destinationOri   the index's ORI; default NDIS00001
 * @param sourceLab        the registry's ORI; default NBR000001
 * @param submittedBy      the CMF submitting user; default nbr-adapter
 * @param specimenCategory the CMF category of newborn profiles; default Missing Person
 * @param pollInterval     how often the outbox is drained; default 1s
 * @param maxAttempts      attempts before a row is parked; default 8
 * @param initialBackoff   wait after the first failure, doubled each time with jitter; default 2s
 * @param maxBackoff       longest wait between attempts; default 10m
 * @param requestTimeout   HTTP timeout per request; default 10s
 * @param ageOfMajority    years after which only the grown child's own consent counts; default 18
 */
@Validated
@ConfigurationProperties(prefix = "nbr.index")
public record IndexProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("http://127.0.0.1:8090/index") @NotNull URI url,
        @DefaultValue("CMF") @NotNull Format format,
        String pseudonymKey,
        @DefaultValue("./data/index-pseudonym.key") @NotBlank String pseudonymKeyFile,
        @DefaultValue("NDIS00001") @NotBlank String destinationOri,
        @DefaultValue("NBR000001") @NotBlank String sourceLab,
        @DefaultValue("nbr-adapter") @NotBlank String submittedBy,
        @DefaultValue("Missing Person") @NotBlank String specimenCategory,
        @DefaultValue("1s") @NotNull Duration pollInterval,
        @DefaultValue("8") @Min(1) int maxAttempts,
        @DefaultValue("2s") @NotNull Duration initialBackoff,
        @DefaultValue("10m") @NotNull Duration maxBackoff,
        @DefaultValue("10s") @NotNull Duration requestTimeout,
        @DefaultValue("18") @Min(1) int ageOfMajority) {

    /** The wire formats an index may take. */
    public enum Format {
        CMF, FHIR
    }
}

package org.newbornregistry.fhir.audit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The tamper-evident audit log ({@code nbr.audit.*}).
 *
 * @param origin             the checkpoints' origin line, naming this log
 * @param checkpointInterval how often new entries are integrated into the tree and a checkpoint signed; default 1m
 * @param checkpointKey      secret: the Ed25519 signing key as base64 PKCS#8, with {@code checkpointPublicKey}
 *                           (base64 X.509); set both through the environment. Unset, a development key pair is
 *                           generated in {@code checkpointKeyFile} with a warning
 * @param checkpointPublicKey the matching public key (base64 X.509)
 * @param checkpointKeyFile  where the development key pair is kept; default ./data/audit-checkpoint.key
 * @param checkpointFile     the append-only file every checkpoint is written to as it is signed, outside the database
 *                           and its data directory; in production on another volume (write-once if you have one) or
 *                           shipped to the auditors; default ./data/audit-checkpoints/checkpoints.log. The log refuses
 *                           to sign over a database that no longer matches it, so a new database needs a new file
 * @param anonymousDenialsPerMinute how many refusals of requests without a valid token (401) or MLLP clients
 *                           without a trusted certificate are recorded one by one per source address and minute;
 *                           further ones are counted and the count recorded with the source's next event; default 10
 * @param witnesses          the witnesses each new checkpoint is sent to for cosigning (c2sp.org/tlog-witness):
 *                           each with its {@code url} (the add-checkpoint endpoint is {@code url/add-checkpoint}), its
 *                           {@code name} and, to verify its cosignatures, its {@code key} in vkey form
 *                           ({@code name+keyid+base64}); none by default
 * @param witnessTimeout     how long one witness may take to answer; default 5s
 * @param verifyInterval     how often the whole log is verified against the last signed checkpoint, off the request
 *                           threads, for the {@code nbr.audit.verify.*} metrics and readiness; the first run comes two
 *                           minutes after start-up (sooner if the interval is shorter); 0 for never; default 1h
 */
@Validated
@ConfigurationProperties(prefix = "nbr.audit")
public record AuditProperties(
        @DefaultValue("newborn-registry.example/audit") @NotBlank String origin,
        @DefaultValue("1m") @NotNull Duration checkpointInterval,
        String checkpointKey,
        String checkpointPublicKey,
        @DefaultValue("./data/audit-checkpoint.key") @NotBlank String checkpointKeyFile,
        @DefaultValue("./data/audit-checkpoints/checkpoints.log") @NotBlank String checkpointFile,
        @DefaultValue("10") @Min(1) int anonymousDenialsPerMinute,
        @DefaultValue @Valid List<Witness> witnesses,
        @DefaultValue("5s") @NotNull Duration witnessTimeout,
        @DefaultValue("1h") @NotNull Duration verifyInterval) {

    /**
     * A witness of the audit log's checkpoints.
     *
     * @param url  its base URL
     * @param name its name, as its cosignature lines carry it
     * @param key  its public key in vkey form, or blank to keep its cosignatures unverified
     */
    public record Witness(@NotNull URI url, @NotBlank String name, String key) {
    }
}

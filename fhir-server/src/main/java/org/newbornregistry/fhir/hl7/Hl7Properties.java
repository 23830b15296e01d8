package org.newbornregistry.fhir.hl7;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;

/**
 * How HL7 v2 messages are read and answered ({@code nbr.hl7.*}), whatever transport brings them.
 *
 * @param defaultTimeZone zone of times sent without an offset; default UTC
 * @param processingIds   accepted MSH-11 processing ids; default P, T, D
 * @param ackApplication  MSH-3 of ACKs when the message did not name us in MSH-5; default NBR
 * @param ackFacility     MSH-4 of ACKs when the message did not name us in MSH-6; default NEWBORN-REGISTRY
 * @param rawRetention    how long the bytes of a processed message are kept in the message store; default 90 days
 * @param groupCommit     how messages arriving at the same moment share a database transaction
 */
@Validated
@ConfigurationProperties(prefix = "nbr.hl7")
public record Hl7Properties(
        @DefaultValue("UTC") ZoneId defaultTimeZone,
        @DefaultValue({"P", "T", "D"}) @NotEmpty Set<String> processingIds,
        @DefaultValue("NBR") @NotBlank String ackApplication,
        @DefaultValue("NEWBORN-REGISTRY") @NotBlank String ackFacility,
        @DefaultValue("P90D") Duration rawRetention,
        @DefaultValue @Valid GroupCommit groupCommit) {

    /**
     * Group commit of arriving messages ({@code nbr.hl7.group-commit.*}): messages that arrive while
     * the writers are busy are written several to a transaction, each under its own savepoint, and
     * each is answered after that transaction commits.
     *
     * @param writers     how many transactions of messages may be written at once; default 2
     * @param maxMessages the most messages in one transaction; default 32, 1 turns grouping off
     */
    public record GroupCommit(@DefaultValue("2") @Min(1) int writers, @DefaultValue("32") @Min(1) int maxMessages) {
    }
}

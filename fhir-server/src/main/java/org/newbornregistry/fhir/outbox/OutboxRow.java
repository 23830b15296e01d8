package org.newbornregistry.fhir.outbox;

import java.time.Instant;

/**
 * One piece of work for the index route.
 *
 * @param id                 the row
 * @param action             what the row asks for
 * @param reason             what caused it
 * @param patientId          the newborn's Patient id, when known
 * @param observationId      the genotype Observation id (SUBMIT)
 * @param observationVersion the genotype's version when the row was written
 * @param attempts           attempts so far
 * @param created            when the cause was committed
 * @param lastOutcome        what the last attempt came to, or null before the first
 */
public record OutboxRow(long id, OutboxAction action, String reason, String patientId, String observationId,
                        Long observationVersion, int attempts, Instant created, String lastOutcome) {
}

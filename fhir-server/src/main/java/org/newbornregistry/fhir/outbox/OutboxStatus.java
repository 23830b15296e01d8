package org.newbornregistry.fhir.outbox;

/** Where an outbox row stands; stored by name in {@code index_outbox.status}. */
public enum OutboxStatus {
    /** Waiting for its next attempt. */
    PENDING,
    /** Failed too often, or refused by the index: waits for an operator's retry. */
    PARKED,
    /** Worked to its end: delivered, withdrawn, erased or kept. */
    DONE,
    /** Not to be sent: no consent, nothing reportable, or superseded. */
    CANCELLED
}

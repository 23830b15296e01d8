package org.newbornregistry.routes.index;

import org.newbornregistry.fhir.outbox.IndexOutbox;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import java.time.Duration;

/**
 * Readiness of the forwarding to the national index: OUT_OF_SERVICE when the oldest outbox row that
 * could be delivered is older than {@code nbr.health.outbox-stall-threshold} (rows waiting for their
 * newborn's birth record do not count), UP otherwise, DOWN when the outbox cannot be read. Parked rows
 * need an operator but do not stall the rest; they are a detail here and an alert of their own.
 */
public class OutboxHealthIndicator extends AbstractHealthIndicator {

    private final OutboxBacklog backlog;
    private final Duration stallThreshold;

    public OutboxHealthIndicator(OutboxBacklog backlog, Duration stallThreshold) {
        super("the outbox could not be read");
        this.backlog = backlog;
        this.stallThreshold = stallThreshold;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        IndexOutbox.Backlog now = backlog.current();
        Duration lag = backlog.lag();
        (lag.compareTo(stallThreshold) > 0 ? health.outOfService() : health.up())
                .withDetail("pending", now.pending())
                .withDetail("parked", now.parked())
                .withDetail("oldestPendingAge", lag.toSeconds() + "s")
                .withDetail("stallThreshold", stallThreshold.toSeconds() + "s");
    }
}

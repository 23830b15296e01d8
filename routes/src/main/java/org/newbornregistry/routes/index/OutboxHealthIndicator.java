package org.newbornregistry.routes.index;

import org.newbornregistry.fhir.outbox.IndexOutbox;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.time.Duration;

/**
 * Readiness of the forwarding to the national index: OUT_OF_SERVICE when the oldest outbox row that
 * could be delivered is older than {@code nbr.health.outbox-stall-threshold} (rows waiting for their
 * newborn's birth record do not count), UP otherwise. Parked rows need an operator but do not stall
 * the rest; they are a detail here and an alert of their own.
 */
public class OutboxHealthIndicator implements HealthIndicator {

    private final OutboxBacklog backlog;
    private final Duration stallThreshold;

    public OutboxHealthIndicator(OutboxBacklog backlog, Duration stallThreshold) {
        this.backlog = backlog;
        this.stallThreshold = stallThreshold;
    }

    @Override
    public Health health() {
        IndexOutbox.Backlog now = backlog.current();
        Duration lag = backlog.lag();
        Health.Builder health = lag.compareTo(stallThreshold) > 0 ? Health.outOfService() : Health.up();
        return health.withDetail("pending", now.pending())
                .withDetail("parked", now.parked())
                .withDetail("oldestPendingAge", lag.toSeconds() + "s")
                .withDetail("stallThreshold", stallThreshold.toSeconds() + "s")
                .build();
    }
}

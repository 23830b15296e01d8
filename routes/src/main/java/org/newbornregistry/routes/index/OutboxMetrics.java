package org.newbornregistry.routes.index;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.newbornregistry.fhir.outbox.OutboxStatus;

/**
 * The outbox as metrics: {@code nbr.index.outbox.rows} by status (PENDING, PARKED) and
 * {@code nbr.index.outbox.oldest.pending.age} in seconds, how far delivery to the index lags (rows
 * waiting for their newborn's birth record left out). A parked row needs an operator; alert on
 * {@code status=PARKED} above zero. Rows done and cancelled are not counted: the outbox keeps them
 * all, and {@link IndexMetrics}' counters say what became of them.
 */
public class OutboxMetrics implements MeterBinder {

    private final OutboxBacklog backlog;

    public OutboxMetrics(OutboxBacklog backlog) {
        this.backlog = backlog;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("nbr.index.outbox.rows", backlog, b -> b.current().pending())
                .tag("status", OutboxStatus.PENDING.name())
                .description("Rows of the outbox towards the national index, by status")
                .baseUnit("rows")
                .register(registry);
        Gauge.builder("nbr.index.outbox.rows", backlog, b -> b.current().parked())
                .tag("status", OutboxStatus.PARKED.name())
                .description("Rows of the outbox towards the national index, by status")
                .baseUnit("rows")
                .register(registry);
        Gauge.builder("nbr.index.outbox.oldest.pending.age", backlog, b -> b.lag().toMillis() / 1000.0)
                .baseUnit("seconds")
                .description("Age of the oldest row still waiting to be delivered to the national index"
                        + " (rows waiting for their newborn's birth record left out)")
                .register(registry);
    }
}

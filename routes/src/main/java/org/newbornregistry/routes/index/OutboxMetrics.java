package org.newbornregistry.routes.index;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.newbornregistry.fhir.outbox.IndexOutbox;

import java.time.Clock;
import java.time.Duration;

/**
 * The outbox as metrics: {@code nbr.index.outbox.rows} by status (PENDING, PARKED, DONE,
 * CANCELLED) and {@code nbr.index.outbox.oldest.pending.age} in seconds, how far delivery to the
 * index lags. A parked row needs an operator; alert on {@code status=PARKED} above zero.
 */
public class OutboxMetrics implements MeterBinder {

    private static final String[] STATUSES = {"PENDING", "PARKED", "DONE", "CANCELLED"};

    private final IndexOutbox outbox;
    private final Clock clock;

    public OutboxMetrics(IndexOutbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String status : STATUSES) {
            Gauge.builder("nbr.index.outbox.rows", outbox, o -> o.count(status))
                    .tag("status", status)
                    .description("Rows of the outbox towards the national index, by status")
                    .register(registry);
        }
        Gauge.builder("nbr.index.outbox.oldest.pending.age", outbox,
                        o -> o.oldestPending().map(t -> Duration.between(t, clock.instant()).toMillis() / 1000.0).orElse(0.0))
                .baseUnit("seconds")
                .description("Age of the oldest row still waiting to be delivered to the national index")
                .register(registry);
    }
}

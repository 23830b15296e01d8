package org.newbornregistry.fhir.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The result of a database query for metrics and health checks, run at most once per period: a
 * Prometheus scrape reads several gauges of one query, and scrapes and health probes arrive from
 * several places, none of which should each cost the database a query. A failed query is not
 * kept; the next call runs it again.
 *
 * @param <T> what the query returns
 */
public final class CachedQuery<T> implements Supplier<T> {

    /** How long a result is served: short enough for an alert, long enough to absorb a burst of reads. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);

    private final Supplier<T> query;
    private final Duration period;
    private final Clock clock;
    private T value;
    private Instant taken;

    public CachedQuery(Supplier<T> query, Duration period, Clock clock) {
        this.query = query;
        this.period = period;
        this.clock = clock;
    }

    /** The last result if it is younger than the period, else a fresh one. */
    @Override
    public synchronized T get() {
        Instant now = clock.instant();
        if (value == null || !now.isBefore(taken.plus(period))) {
            value = query.get();
            taken = now;
        }
        return value;
    }
}

package org.newbornregistry.routes.index;

import org.newbornregistry.fhir.metrics.CachedQuery;
import org.newbornregistry.fhir.outbox.IndexOutbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The outbox's backlog as metrics and readiness read it: one query, run at most once per
 * {@link CachedQuery#DEFAULT_PERIOD} however often it is scraped and probed.
 */
public class OutboxBacklog {

    private final Supplier<IndexOutbox.Backlog> backlog;
    private final Clock clock;

    public OutboxBacklog(IndexOutbox outbox, Clock clock) {
        this.backlog = new CachedQuery<>(outbox::backlog, CachedQuery.DEFAULT_PERIOD, clock);
        this.clock = clock;
    }

    /** The backlog as last queried. */
    public IndexOutbox.Backlog current() {
        return backlog.get();
    }

    /** How long the oldest row that could be delivered has waited; zero when none waits. */
    public Duration lag() {
        Instant oldest = current().oldestPending();
        return oldest == null ? Duration.ZERO : Duration.between(oldest, clock.instant());
    }
}

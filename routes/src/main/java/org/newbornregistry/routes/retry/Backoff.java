package org.newbornregistry.routes.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off: after n failures the wait is {@code initial} doubled n-1 times, at most
 * {@code max}. The jittered wait lies between half of that and all of it, so that instances
 * retrying the same peer at the same moment spread out.
 *
 * @param initial the wait after the first failure
 * @param max     the longest wait
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("a back-off needs a positive initial wait and a maximum at least as long");
        }
    }

    /** The wait after {@code failures} failures (at least one). */
    public Duration after(int failures) {
        long doubled = initial.toMillis() << Math.min(Math.max(failures, 1) - 1, 30);
        return Duration.ofMillis(doubled <= 0 ? max.toMillis() : Math.min(doubled, max.toMillis()));
    }

    /** The wait after {@code failures} failures, jittered into its upper half. */
    public Duration jitteredAfter(int failures) {
        long wait = after(failures).toMillis();
        return Duration.ofMillis(wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1));
    }
}

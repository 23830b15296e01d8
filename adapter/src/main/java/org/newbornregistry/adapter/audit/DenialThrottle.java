package org.newbornregistry.adapter.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Bounds how many audit records anonymous refusals from one source (a network address) make: the
 * first {@code perWindow} in a window are recorded one by one, the rest only counted, and the count
 * is carried by the source's next recorded refusal. Every refusal stays on record — singly or in a
 * count — while a client hammering the registry without a token or certificate cannot grow the
 * append-only audit log without bound. Refusals of an authenticated user are not throttled: they
 * are attributable and rare.
 *
 * <p>At most {@code maxSources} sources are tracked; beyond that the least recently seen is dropped,
 * and its uncounted refusals with it (logged by the caller's warning, not recorded).
 */
public final class DenialThrottle {

    private final int perWindow;
    private final Duration window;
    private final int maxSources;
    private final Clock clock;
    private final LinkedHashMap<String, Source> sources = new LinkedHashMap<>(16, 0.75f, true);

    public DenialThrottle(int perWindow, Duration window, int maxSources, Clock clock) {
        if (perWindow < 1 || window.isNegative() || window.isZero() || maxSources < 1) {
            throw new IllegalArgumentException("perWindow and maxSources must be at least 1, window positive");
        }
        this.perWindow = perWindow;
        this.window = window;
        this.maxSources = maxSources;
        this.clock = clock;
    }

    /** {@code perMinute} records per source and minute, 10,000 sources tracked. */
    public static DenialThrottle perMinute(int perMinute, Clock clock) {
        return new DenialThrottle(perMinute, Duration.ofMinutes(1), 10_000, clock);
    }

    /**
     * Whether to record this refusal from {@code source} (null counts as one unknown source); when
     * it is to be recorded, how many of the source's refusals were only counted since its last record.
     */
    public synchronized Optional<Long> admit(String source) {
        String key = source == null ? "" : source;
        Instant now = clock.instant();
        Source seen = sources.get(key);
        if (seen == null || !now.isBefore(seen.windowStart.plus(window))) {
            long carried = seen == null ? 0 : seen.suppressed;
            seen = new Source(now);
            sources.put(key, seen);
            evict();
            seen.recorded = 1;
            return Optional.of(carried);
        }
        if (seen.recorded < perWindow) {
            seen.recorded++;
            long carried = seen.suppressed;
            seen.suppressed = 0;
            return Optional.of(carried);
        }
        seen.suppressed++;
        return Optional.empty();
    }

    /** An audit event's outcome description, with the count {@link #admit} carried, if any. */
    public static String withUnrecorded(String description, long unrecorded) {
        return unrecorded == 0 ? description
                : description + "; and " + unrecorded + " earlier refusals from this address counted, not recorded one by one";
    }

    private void evict() {
        Iterator<Map.Entry<String, Source>> eldest = sources.entrySet().iterator();
        while (sources.size() > maxSources && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }

    private static final class Source {
        final Instant windowStart;
        int recorded;
        long suppressed;

        Source(Instant windowStart) {
            this.windowStart = windowStart;
        }
    }
}

package org.newbornregistry.adapter.audit;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class DenialThrottleTest {

    private final MovableClock clock = new MovableClock();
    private final DenialThrottle throttle = new DenialThrottle(3, Duration.ofMinutes(1), 2, clock);

    @Test
    void shouldRecordTheFirstRefusalsOfAWindowAndCountTheRest() {
        // when
        var decisions = IntStream.range(0, 5).mapToObj(i -> throttle.admit("192.0.2.7")).toList();

        // then
        assertThat(decisions).containsExactly(Optional.of(0L), Optional.of(0L), Optional.of(0L), Optional.empty(), Optional.empty());
    }

    @Test
    void shouldCarryTheCountOfUnrecordedRefusalsIntoTheNextWindowsFirstRecord() {
        // given
        IntStream.range(0, 7).forEach(i -> throttle.admit("192.0.2.7"));

        // when
        clock.advance(Duration.ofMinutes(1));

        // then
        assertThat(throttle.admit("192.0.2.7")).contains(4L);
        assertThat(throttle.admit("192.0.2.7")).contains(0L);
    }

    @Test
    void shouldThrottleEachSourceOnItsOwn() {
        // given
        IntStream.range(0, 3).forEach(i -> throttle.admit("192.0.2.7"));

        // when / then
        assertThat(throttle.admit("192.0.2.7")).isEmpty();
        assertThat(throttle.admit("198.51.100.1")).contains(0L);
    }

    @Test
    void shouldForgetTheLeastRecentlySeenSourceBeyondItsCapacity() {
        // given: capacity 2
        IntStream.range(0, 4).forEach(i -> throttle.admit("a"));
        throttle.admit("b");

        // when
        throttle.admit("c");

        // then: "a" starts afresh, its one counted refusal forgotten
        assertThat(throttle.admit("a")).contains(0L);
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-11-29T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package org.newbornregistry.routes.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    @Test
    void shouldDoubleFromTheInitialWaitUpToTheMaximum() {
        Backoff importer = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(16));

        assertThat(IntStream.rangeClosed(1, 7).mapToObj(importer::after).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 16L, 16L);
        assertThat(importer.after(0)).as("no failure yet waits like one").isEqualTo(Duration.ofSeconds(1));
        assertThat(importer.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(16));
    }

    @Test
    void shouldJitterIntoTheUpperHalfOfTheWait() {
        Backoff outbox = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10));

        for (int failures = 1; failures <= 12; failures++) {
            Duration wait = outbox.after(failures);
            for (int i = 0; i < 200; i++) {
                assertThat(outbox.jitteredAfter(failures)).isBetween(wait.dividedBy(2), wait);
            }
        }
    }

    @Test
    void shouldRefuseAWaitThatIsNoneOrAMaximumBelowIt() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}

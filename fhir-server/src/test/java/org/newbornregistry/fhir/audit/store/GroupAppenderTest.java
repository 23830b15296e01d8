package org.newbornregistry.fhir.audit.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Group commit: what arrives while a write is under way goes into the next write, all of it in
 * one; each caller returns only once its work is written; a bad item fails alone.
 */
class GroupAppenderTest {

    @Test
    void shouldWriteWhatArrivesDuringAWriteInOneNextWriteAndReturnEachCallerAfterItsWrite() throws Exception {
        // given: a writer whose first write is held until the others have queued
        CountDownLatch firstWriting = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<List<Integer>> writes = Collections.synchronizedList(new ArrayList<>());
        GroupAppender<Integer> appender = new GroupAppender<>(group -> {
            if (writes.isEmpty() && firstWriting.getCount() > 0) {
                firstWriting.countDown();
                hold(releaseFirst);
            }
            writes.add(List.copyOf(group));
        });
        ExecutorService callers = Executors.newFixedThreadPool(6);
        List<Future<?>> calls = new ArrayList<>();

        // when
        calls.add(callers.submit(() -> appender.append(0)));
        assertThat(firstWriting.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 5; i++) {
            int item = i;
            calls.add(callers.submit(() -> appender.append(item)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> appender.queued() == 5);
        boolean anyReturnedEarly = calls.stream().anyMatch(Future::isDone);
        releaseFirst.countDown();
        for (Future<?> call : calls) {
            call.get(10, TimeUnit.SECONDS);
        }
        callers.shutdown();

        // then
        assertThat(anyReturnedEarly).as("no caller returns before its work is written").isFalse();
        assertThat(writes).hasSize(2);
        assertThat(writes.get(0)).containsExactly(0);
        assertThat(writes.get(1)).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    }

    @Test
    void shouldFailOnlyTheBadItemOfAGroup() throws Exception {
        // given
        CountDownLatch firstWriting = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<Integer> written = Collections.synchronizedList(new ArrayList<>());
        GroupAppender<Integer> appender = new GroupAppender<>(group -> {
            if (group.contains(0) && firstWriting.getCount() > 0) {
                firstWriting.countDown();
                hold(releaseFirst);
            }
            if (group.contains(-1)) {
                throw new IllegalStateException("bad item");
            }
            written.addAll(group);
        });
        ExecutorService callers = Executors.newFixedThreadPool(4);
        Future<?> first = callers.submit(() -> appender.append(0));
        assertThat(firstWriting.await(10, TimeUnit.SECONDS)).isTrue();
        Future<?> good = callers.submit(() -> appender.append(1));
        Future<?> bad = callers.submit(() -> appender.append(-1));
        Future<?> alsoGood = callers.submit(() -> appender.append(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> appender.queued() == 3);

        // when
        releaseFirst.countDown();

        // then
        first.get(10, TimeUnit.SECONDS);
        good.get(10, TimeUnit.SECONDS);
        alsoGood.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(written).containsExactlyInAnyOrder(0, 1, 2);
        callers.shutdown();
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.newbornregistry.fhir.database;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Group commit: what arrives while the writers are busy goes into the next write, several items in
 * one; each caller gets its own result, only once its work is written; a bad item fails alone; no
 * more groups are written at once than there are writers, and no group is larger than allowed.
 */
class GroupCommitTest {

    @Test
    void shouldWriteWhatArrivesDuringAWriteInOneNextWriteAndReturnEachCallerItsResultAfterItsWrite() throws Exception {
        // given: one writer whose first write is held until the others have queued
        HeldWriter held = new HeldWriter(group -> group.stream().map(i -> "written " + i).toList());
        GroupCommit<Integer, String> commit = new GroupCommit<>(held, 1, 32);
        ExecutorService callers = Executors.newFixedThreadPool(6);
        List<Future<String>> calls = new ArrayList<>();

        // when
        calls.add(callers.submit(() -> commit.submit(0)));
        assertThat(held.writing.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 5; i++) {
            int item = i;
            calls.add(callers.submit(() -> commit.submit(item)));
            await().atMost(Duration.ofSeconds(10)).until(() -> commit.queued() == item);
        }
        boolean anyReturnedEarly = calls.stream().anyMatch(Future::isDone);
        held.release.countDown();
        List<String> results = new ArrayList<>();
        for (Future<String> call : calls) {
            results.add(call.get(10, TimeUnit.SECONDS));
        }
        callers.shutdown();

        // then
        assertThat(anyReturnedEarly).as("no caller returns before its work is written").isFalse();
        assertThat(held.groups).hasSize(2);
        assertThat(held.groups.get(0)).containsExactly(0);
        assertThat(held.groups.get(1)).as("oldest first").containsExactly(1, 2, 3, 4, 5);
        assertThat(results).containsExactly("written 0", "written 1", "written 2", "written 3", "written 4", "written 5");
    }

    @Test
    void shouldFailOnlyTheBadItemOfAGroup() throws Exception {
        // given
        List<Integer> written = Collections.synchronizedList(new ArrayList<>());
        HeldWriter held = new HeldWriter(group -> {
            if (group.contains(-1)) {
                throw new IllegalStateException("bad item");
            }
            written.addAll(group);
            return group.stream().map(String::valueOf).toList();
        });
        GroupCommit<Integer, String> commit = new GroupCommit<>(held, 1, 32);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        Future<String> first = callers.submit(() -> commit.submit(0));
        assertThat(held.writing.await(10, TimeUnit.SECONDS)).isTrue();
        Future<String> good = callers.submit(() -> commit.submit(1));
        Future<String> bad = callers.submit(() -> commit.submit(-1));
        Future<String> alsoGood = callers.submit(() -> commit.submit(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> commit.queued() == 3);

        // when
        held.release.countDown();

        // then
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("0");
        assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo("1");
        assertThat(alsoGood.get(10, TimeUnit.SECONDS)).isEqualTo("2");
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(written).containsExactlyInAnyOrder(0, 1, 2);
        callers.shutdown();
    }

    @Test
    void shouldWriteNoMoreGroupsAtOnceThanWritersAndNoGroupLargerThanAllowed() throws Exception {
        // given: two writers, groups of at most three, the writes held until every caller is taken or queued
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        AtomicInteger taken = new AtomicInteger();
        List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(group -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            taken.addAndGet(group.size());
            hold(release);
            groups.add(List.copyOf(group));
            inFlight.decrementAndGet();
            return group;
        }, 2, 3);
        ExecutorService callers = Executors.newFixedThreadPool(12);
        List<Future<Integer>> calls = new ArrayList<>();

        // when
        for (int i = 0; i < 12; i++) {
            int item = i;
            calls.add(callers.submit(() -> commit.submit(item)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.get() == 2 && taken.get() + commit.queued() == 12);
        release.countDown();
        for (int i = 0; i < calls.size(); i++) {
            assertThat(calls.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i);
        }
        callers.shutdown();

        // then
        assertThat(mostInFlight.get()).isEqualTo(2);
        assertThat(groups).allSatisfy(group -> assertThat(group).hasSizeLessThanOrEqualTo(3));
        assertThat(groups.stream().mapToInt(List::size).sum()).isEqualTo(12);
        assertThat(groups).as("callers that waited shared a write").anyMatch(group -> group.size() > 1);
    }

    /** A writer whose first write waits until released, so that others queue behind it. */
    private static final class HeldWriter implements Function<List<Integer>, List<String>> {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());
        private final Function<List<Integer>, List<String>> results;

        HeldWriter(Function<List<Integer>, List<String>> results) {
            this.results = results;
        }

        @Override
        public List<String> apply(List<Integer> group) {
            if (writing.getCount() > 0) {
                writing.countDown();
                hold(release);
            }
            groups.add(List.copyOf(group));
            return results.apply(group);
        }
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

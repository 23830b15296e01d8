package org.newbornregistry.fhir.database;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit for work that arrives at the same moment, the way PostgreSQL's own WAL flush works:
 * a caller whose work is queued becomes a leader when a writer is free, takes what is queued (up
 * to {@code maxGroup} items, oldest first) and writes it in one go; callers arriving meanwhile
 * queue theirs and wait. Each caller returns once a write holding its work has finished, so an
 * answer (an HL7 ACK, a FHIR response) still follows the commit of what it answers for, while
 * concurrent callers share commits instead of taking one each.
 *
 * <p>Up to {@code writers} groups are written at once, so that the database and the other core are
 * not idle while one group is written. A caller waits for its own work only, so the order of one
 * caller's successive items (one MLLP connection's messages) is kept.
 *
 * <p>A failed group write is retried item by item (a group of one each), so one bad item fails alone.
 *
 * @param <T> one caller's work
 * @param <R> what writing it gives the caller
 */
public final class GroupCommit<T, R> {

    private final Function<List<T>, List<R>> writer;
    private final int writers;
    private final int maxGroup;
    private final Object lock = new Object();
    private final Deque<Pending<T, R>> queue = new ArrayDeque<>();
    private int writing;

    /**
     * @param writer   writes a group in one transaction and gives one result per item, in the group's order; or throws
     * @param writers  how many groups may be written at the same time (at least 1)
     * @param maxGroup the most items one write takes (at least 1)
     */
    public GroupCommit(Function<List<T>, List<R>> writer, int writers, int maxGroup) {
        if (writers < 1 || maxGroup < 1) {
            throw new IllegalArgumentException("a group commit needs at least one writer and one item per group");
        }
        this.writer = writer;
        this.writers = writers;
        this.maxGroup = maxGroup;
    }

    private static final class Pending<T, R> {
        final T work;
        boolean done;
        R result;
        RuntimeException failure;

        Pending(T work) {
            this.work = work;
        }
    }

    /**
     * Writes {@code work}, with whatever else arrives at the same moment; returns its result once it is written.
     *
     * @throws RuntimeException what writing this item alone threw
     */
    public R submit(T work) {
        Pending<T, R> mine = new Pending<>(work);
        boolean interrupted = false;
        synchronized (lock) {
            queue.add(mine);
        }
        try {
            while (true) {
                List<Pending<T, R>> group = null;
                synchronized (lock) {
                    while (!mine.done && (writing >= writers || queue.isEmpty())) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            // Why not give up: the work is queued and may already be written; its caller must learn how it went.
                            interrupted = true;
                        }
                    }
                    if (mine.done) {
                        break;
                    }
                    writing++;
                    group = new ArrayList<>(Math.min(maxGroup, queue.size()));
                    while (group.size() < maxGroup && !queue.isEmpty()) {
                        group.add(queue.poll());
                    }
                }
                try {
                    write(group);
                } finally {
                    synchronized (lock) {
                        writing--;
                        lock.notifyAll();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    /** How many callers wait with their work queued for a write. */
    public int queued() {
        synchronized (lock) {
            return queue.size();
        }
    }

    private void write(List<Pending<T, R>> group) {
        try {
            finish(group, results(group.stream().map(p -> p.work).toList(), group.size()), null);
            return;
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                finish(group, null, e);
                return;
            }
        } catch (Error e) {
            finish(group, null, new IllegalStateException("the group's write failed", e));
            throw e;
        }
        for (Pending<T, R> pending : group) {
            try {
                finish(List.of(pending), results(List.of(pending.work), 1), null);
            } catch (RuntimeException alone) {
                finish(List.of(pending), null, alone);
            }
        }
    }

    private List<R> results(List<T> works, int expected) {
        List<R> results = writer.apply(works);
        if (results == null || results.size() != expected) {
            throw new IllegalStateException("a group write must give one result per item");
        }
        return results;
    }

    private void finish(List<Pending<T, R>> pendings, List<R> results, RuntimeException failure) {
        synchronized (lock) {
            for (int i = 0; i < pendings.size(); i++) {
                Pending<T, R> pending = pendings.get(i);
                pending.result = results == null ? null : results.get(i);
                pending.failure = failure;
                pending.done = true;
            }
            lock.notifyAll();
        }
    }
}

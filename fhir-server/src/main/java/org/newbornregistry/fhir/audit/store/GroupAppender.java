package org.newbornregistry.fhir.audit.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Group commit for what arrives at the same moment, the way PostgreSQL's own WAL flush works: the
 * first caller becomes the leader and writes its work; callers arriving meanwhile queue theirs and
 * wait; when the leader's write is done, the next waiter leads and writes everything queued in one
 * go. Each caller returns once a write holding its work has finished, so a FHIR read's audit entry
 * is still committed before its answer, while concurrent reads share one commit instead of one each.
 *
 * <p>A failed group write is retried item by item, so one bad item fails alone.
 *
 * @param <T> one caller's work
 */
final class GroupAppender<T> {

    private final Consumer<List<T>> writer;
    private final Object lock = new Object();
    private List<Pending<T>> queue = new ArrayList<>();
    private boolean leading;

    /** @param writer writes a group of work in one transaction, or throws */
    GroupAppender(Consumer<List<T>> writer) {
        this.writer = writer;
    }

    private static final class Pending<T> {
        final T work;
        boolean done;
        RuntimeException failure;

        Pending(T work) {
            this.work = work;
        }
    }

    /** Writes {@code work}, with whatever else arrives at the same moment; returns when it is written. */
    void append(T work) {
        Pending<T> mine = new Pending<>(work);
        List<Pending<T>> group;
        boolean interrupted = false;
        synchronized (lock) {
            queue.add(mine);
            while (leading && !mine.done) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    // Why not give up: the work is queued and may already be written; its caller must learn how it went.
                    interrupted = true;
                }
            }
            if (!mine.done) {
                leading = true;
                group = queue;
                queue = new ArrayList<>();
            } else {
                group = null;
            }
        }
        if (group != null) {
            write(group);
            synchronized (lock) {
                leading = false;
                lock.notifyAll();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
    }

    /** How many callers wait with their work queued for the next write. */
    int queued() {
        synchronized (lock) {
            return queue.size();
        }
    }

    private void write(List<Pending<T>> group) {
        try {
            writer.accept(group.stream().map(p -> p.work).toList());
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                finish(group, e);
                return;
            }
            for (Pending<T> pending : group) {
                try {
                    writer.accept(List.of(pending.work));
                    finish(List.of(pending), null);
                } catch (RuntimeException alone) {
                    finish(List.of(pending), alone);
                }
            }
            return;
        }
        finish(group, null);
    }

    private void finish(List<Pending<T>> pendings, RuntimeException failure) {
        synchronized (lock) {
            for (Pending<T> pending : pendings) {
                pending.failure = failure;
                pending.done = true;
            }
        }
    }
}

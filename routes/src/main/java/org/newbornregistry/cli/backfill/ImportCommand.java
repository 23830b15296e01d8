package org.newbornregistry.cli.backfill;

import org.newbornregistry.cli.ExistingPath;
import org.newbornregistry.cli.ExitCode;
import org.newbornregistry.cli.MllpConnection;
import org.newbornregistry.cli.MllpTarget;
import org.newbornregistry.routes.retry.Backoff;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * {@code nbr-adapter import [--to HOST[:PORT]] [--connections N] [--state FILE] PATH...}:
 * backfills HL7 v2 archives — files of MLLP frames or of plain messages, or directories of them —
 * into a running adapter over MLLP, so that every message takes the very path a live message takes
 * (mapping, validation of the header, the message store, the same transaction and ACK). It sends
 * over N connections at once, shows a progress bar with rate and ETA, keeps how far it got in a state
 * file so that running it again after an interruption resumes, and ends with a summary: accepted, and
 * rejected by reason. Idempotent: a message the adapter already has is answered with its original
 * ACK and written once. Rejected messages are in the adapter's message store, for replay after a fix;
 * when the adapter stops answering, running the same command again resumes.
 */
@Command(name = "import",
        description = {"Backfills HL7 v2 archives into a running adapter over MLLP, each message taking the path of a live"
                + " one, and prints accepted and rejected (by reason, with the first message of each).",
                "Resumes where an interrupted run stopped; a message the adapter already has is answered with its"
                        + " original ACK and written once. Exits 0 when every message was accepted, 1 when some were rejected."})
public final class ImportCommand implements Callable<Integer> {

    private static final int MAX_RECONNECTS = 5;
    // Why: an adapter that restarts is back within seconds; 1+2+4+8+16 s covers a restart.
    private static final Backoff RECONNECT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(16));
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Mixin
    MllpTarget target;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "4",
            description = {"connections to send over at once, each with one message in flight, 1 to 64", "default: ${DEFAULT-VALUE}"})
    int connections;

    @Option(names = "--state", paramLabel = "FILE", defaultValue = "data/import-state.json",
            description = {"where to keep how far the import got, per archive file", "default: ./${DEFAULT-VALUE}"})
    Path stateFile;

    @Parameters(paramLabel = "PATH", arity = "1..*", converter = ExistingPath.class, description = "archive files (MLLP"
            + " frames, or plain messages each starting at an MSH line) or directories of them (walked, hidden files skipped,"
            + " in name order)")
    List<Path> paths;

    /** Whether to redraw a progress bar in place (on a terminal) rather than print a progress line every few seconds. */
    private final boolean terminal = System.console() != null;
    private final ImportTally tally = new ImportTally();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicBoolean aborted = new AtomicBoolean();
    /** Why reading the archives stopped early, if it did. */
    private final AtomicReference<IOException> unreadable = new AtomicReference<>();
    private ImportState state;
    private List<Path> archives;

    @Override
    public Integer call() throws IOException {
        if (connections < 1 || connections > 64) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--connections must be 1 to 64");
        }
        archives = archives(paths);
        state = ImportState.load(stateFile);
        return importAll(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** The regular files among {@code paths}, directories walked, hidden files skipped, in name order. */
    static List<Path> archives(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw new IOException("neither a regular file nor a directory: " + path);
            }
        }
        return files;
    }

    private int importAll(PrintWriter out, PrintWriter err) throws IOException {
        long total = 0;
        long skipped = 0;
        for (Path archive : archives) {
            long count = Hl7Archive.count(archive);
            long done = Math.min(state.done(archive), count);
            total += count - done;
            skipped += done;
        }
        out.printf("Importing %,d messages from %d file(s) to %s over %d connection(s)%s%n", total, archives.size(), target,
                connections, skipped > 0 ? String.format(" (resuming: %,d imported before)", skipped) : "");
        ProgressBar bar = new ProgressBar(err, terminal, total);
        Thread saver = new Thread(() -> saveQuietly(err), "import-state-on-exit");
        Runtime.getRuntime().addShutdownHook(saver);

        BlockingQueue<Work> queue = new ArrayBlockingQueue<>(connections * 8);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread worker = new Thread(() -> work(queue), "import-" + i);
            worker.start();
            workers.add(worker);
        }
        long started = System.nanoTime();
        Thread reader = new Thread(() -> read(queue), "import-reader");
        reader.start();
        long lastSave = System.nanoTime();
        while (workers.stream().anyMatch(Thread::isAlive)) {
            join(workers.get(0), 250);
            bar.show(answered.get(), false);
            if (System.nanoTime() - lastSave > TimeUnit.SECONDS.toNanos(2)) {
                state.save();
                lastSave = System.nanoTime();
            }
            workers.removeIf(w -> !w.isAlive());
        }
        join(reader, 0);
        bar.show(answered.get(), true);
        state.save();
        Runtime.getRuntime().removeShutdownHook(saver);
        summary(out, (System.nanoTime() - started) / 1e9);
        if (aborted.get()) {
            err.printf("The adapter at %s stopped answering; %,d messages were answered. Run the same command again to resume.%n",
                    target, answered.get());
            err.flush();
            return ExitCode.UNREACHABLE.code();
        }
        if (unreadable.get() != null) {
            // Why: without this an archive that could not be read to its end ended the import as if it were complete.
            throw new IOException("could not read the archives to their end (" + unreadable.get().getMessage() + "); "
                    + answered.get() + " messages were answered. Run the same command again to resume", unreadable.get());
        }
        return (tally.rejected() > 0 ? ExitCode.NEGATIVE : ExitCode.DONE).code();
    }

    /** Feeds the workers every message not imported before, file after file; then one end mark per worker. */
    private void read(BlockingQueue<Work> queue) {
        try {
            for (Path archive : archives) {
                long done = state.done(archive);
                ImportState.Progress progress = state.progress(archive, done);
                try (Hl7Archive messages = Hl7Archive.open(archive)) {
                    long index = 0;
                    while (messages.hasNext() && !aborted.get()) {
                        byte[] message = messages.next();
                        if (index >= done) {
                            queue.put(new Work(progress, index, message, archive.getFileName() + "#" + (index + 1)));
                        }
                        index++;
                    }
                }
            }
        } catch (IOException e) {
            unreadable.set(e);
        } catch (UncheckedIOException e) {
            unreadable.set(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (int i = 0; i < connections; i++) {
                try {
                    queue.put(Work.END);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** One connection's loop: send, wait for the ACK, count it; reconnect with back-off when the connection breaks. */
    private void work(BlockingQueue<Work> queue) {
        MllpConnection connection = null;
        try {
            while (true) {
                Work work = queue.take();
                if (work == Work.END || aborted.get()) {
                    return;
                }
                for (int attempt = 0; ; attempt++) {
                    try {
                        if (connection == null) {
                            connection = new MllpConnection(target.host(), target.port(), TIMEOUT);
                        }
                        String ack = connection.exchange(work.message());
                        tally.count(ack, work.where());
                        work.progress().answered(work.index());
                        answered.incrementAndGet();
                        break;
                    } catch (IOException e) {
                        closeQuietly(connection);
                        connection = null;
                        if (attempt >= MAX_RECONNECTS) {
                            aborted.set(true);
                            return;
                        }
                        Thread.sleep(RECONNECT.after(attempt + 1).toMillis());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(connection);
        }
    }

    private void summary(PrintWriter out, double seconds) {
        out.printf("Answered %,d messages in %.1f s (%.0f msg/s): %,d accepted, %,d rejected%n", answered.get(), seconds,
                answered.get() / Math.max(seconds, 0.001), tally.accepted(), tally.rejected());
        for (Map.Entry<String, ImportTally.Reason> reason : tally.reasons().entrySet()) {
            out.printf("  %,8d  %s (first: %s)%n", reason.getValue().count(), reason.getKey(), reason.getValue().first());
        }
        if (tally.rejected() > 0) {
            out.println("Rejected messages are kept in the adapter's message store: fix the cause and replay them there.");
        }
    }

    private void saveQuietly(PrintWriter err) {
        try {
            state.save();
        } catch (IOException e) {
            err.println("could not save the import state: " + e.getMessage());
            err.flush();
        }
    }

    private static void join(Thread thread, long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(MllpConnection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                // Why: the connection is dropped either way; a new one is opened for the next message.
            }
        }
    }

    /** A message to send: its file's progress, its position there, the bytes, and where to say it came from. */
    private record Work(ImportState.Progress progress, long index, byte[] message, String where) {
        static final Work END = new Work(null, -1, new byte[0], "");
    }
}

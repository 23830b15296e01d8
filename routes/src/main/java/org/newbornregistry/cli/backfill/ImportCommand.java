package org.newbornregistry.cli.backfill;

import org.newbornregistry.cli.MllpConnection;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code java -jar nbr-adapter.jar import [--to HOST[:PORT]] [--connections N] [--state FILE] PATH...}:
 * backfills HL7 v2 archives — files of MLLP frames or of plain messages, or directories of them —
 * into a running adapter over MLLP, so that every message takes the very path a live message takes
 * (mapping, validation of the header, the message store, the same transaction and ACK). It sends
 * over N connections at once, shows a progress bar with rate and ETA, keeps how far it got in a state
 * file so that running it again after an interruption resumes, and ends with a summary: accepted, and
 * rejected by reason. Idempotent: a message the adapter already has is answered with its original
 * ACK and written once. Exit code 0 when every message was accepted, 1 when some were rejected (they
 * are in the adapter's message store, for replay after a fix), 2 on a usage error, 3 when the adapter
 * stopped answering (run the same command again to resume).
 */
public final class ImportCommand {

    static final String USAGE = "usage: java -jar nbr-adapter.jar import [--to HOST[:PORT]] [--connections N] [--state FILE] PATH..."
            + "   (defaults: localhost:2575, 4 connections, ./data/import-state.json)";
    private static final int MAX_RECONNECTS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String host;
    private final int port;
    private final int connections;
    private final ImportState state;
    private final List<Path> archives;
    private final ImportTally tally = new ImportTally();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicBoolean aborted = new AtomicBoolean();

    private ImportCommand(String host, int port, int connections, ImportState state, List<Path> archives) {
        this.host = host;
        this.port = port;
        this.connections = connections;
        this.state = state;
        this.archives = archives;
    }

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        String target = "localhost:2575";
        int connections = 4;
        Path stateFile = Path.of("data", "import-state.json");
        List<Path> paths = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--to" -> target = args[++i];
                    case "--connections" -> connections = Integer.parseInt(args[++i]);
                    case "--state" -> stateFile = Path.of(args[++i]);
                    default -> {
                        if (args[i].startsWith("--")) {
                            throw new IllegalArgumentException(args[i]);
                        }
                        paths.add(Path.of(args[i]));
                    }
                }
            }
            if (paths.isEmpty() || connections < 1 || connections > 64) {
                throw new IllegalArgumentException("paths or connections");
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            err.println(USAGE);
            return 2;
        }
        String host = target.contains(":") ? target.substring(0, target.lastIndexOf(':')) : target;
        int port;
        try {
            port = target.contains(":") ? Integer.parseInt(target.substring(target.lastIndexOf(':') + 1)) : 2575;
        } catch (NumberFormatException e) {
            err.println(USAGE);
            return 2;
        }
        try {
            List<Path> archives = archives(paths);
            ImportCommand command = new ImportCommand(host, port, connections, ImportState.load(stateFile), archives);
            return command.importAll(out, err, terminal);
        } catch (IOException | UncheckedIOException e) {
            err.println("import failed: " + e.getMessage());
            return 2;
        }
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
                throw new IOException("no file or directory " + path);
            }
        }
        return files;
    }

    private int importAll(PrintStream out, PrintStream err, boolean terminal) throws IOException {
        long total = 0;
        long skipped = 0;
        for (Path archive : archives) {
            long count = Hl7Archive.count(archive);
            long done = Math.min(state.done(archive), count);
            total += count - done;
            skipped += done;
        }
        out.printf("Importing %,d messages from %d file(s) to %s:%d over %d connection(s)%s%n", total, archives.size(), host, port,
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
            err.printf("The adapter at %s:%d stopped answering; %,d messages were answered. Run the same command again to resume.%n",
                    host, port, answered.get());
            return 3;
        }
        return tally.rejected() > 0 ? 1 : 0;
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
            throw new UncheckedIOException(e);
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
                            connection = new MllpConnection(host, port, TIMEOUT);
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
                        // Why: an adapter that restarts is back within seconds; 1+2+4+8+16 s covers a restart.
                        TimeUnit.SECONDS.sleep(1L << attempt);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(connection);
        }
    }

    private void summary(PrintStream out, double seconds) {
        out.printf("Answered %,d messages in %.1f s (%.0f msg/s): %,d accepted, %,d rejected%n", answered.get(), seconds,
                answered.get() / Math.max(seconds, 0.001), tally.accepted(), tally.rejected());
        for (Map.Entry<String, ImportTally.Reason> reason : tally.reasons().entrySet()) {
            out.printf("  %,8d  %s (first: %s)%n", reason.getValue().count(), reason.getKey(), reason.getValue().first());
        }
        if (tally.rejected() > 0) {
            out.println("Rejected messages are kept in the adapter's message store: fix the cause and replay them there.");
        }
    }

    private void saveQuietly(PrintStream err) {
        try {
            state.save();
        } catch (IOException e) {
            err.println("could not save the import state: " + e.getMessage());
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

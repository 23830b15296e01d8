package org.newbornregistry.cli.backfill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How far an import got, kept in a small JSON file so that an interrupted import resumes where it
 * stopped: per archive file (by absolute path, size and modification time — a changed file starts
 * over), how many of its messages from the start were all answered. Messages answered out of order
 * beyond that mark are sent again on resume; the adapter answers a message it already has with its
 * original ACK, so that costs a round trip and changes nothing.
 */
public final class ImportState {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, Entry> entries = new TreeMap<>();

    private ImportState(Path file) {
        this.file = file;
    }

    /** The state kept in {@code file}, or a fresh one if there is none. */
    public static ImportState load(Path file) throws IOException {
        ImportState state = new ImportState(file);
        if (Files.exists(file)) {
            JSON.readTree(file.toFile()).get("files").fields().forEachRemaining(f -> state.entries.put(f.getKey(),
                    new Entry(f.getValue().get("size").asLong(), f.getValue().get("modified").asLong(), f.getValue().get("done").asLong())));
        }
        return state;
    }

    /** How many messages of {@code archive} from its start were answered in an earlier run (0 if it changed since). */
    public synchronized long done(Path archive) throws IOException {
        Entry entry = entries.get(key(archive));
        if (entry == null || entry.size != Files.size(archive) || entry.modified != Files.getLastModifiedTime(archive).toMillis()) {
            return 0;
        }
        return entry.done;
    }

    /** Tracks the answers of one archive's messages, starting after the {@code done} answered before. */
    public synchronized Progress progress(Path archive, long done) throws IOException {
        Entry entry = new Entry(Files.size(archive), Files.getLastModifiedTime(archive).toMillis(), done);
        entries.put(key(archive), entry);
        return new Progress(entry);
    }

    /** Writes the state, atomically: a crash leaves the old file or the new one. */
    public synchronized void save() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode files = root.putObject("files");
        entries.forEach((path, entry) -> files.putObject(path).put("size", entry.size).put("modified", entry.modified)
                .put("done", entry.done));
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, ".import-state", ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), root);
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String key(Path archive) {
        return archive.toAbsolutePath().normalize().toString();
    }

    /** The answers of one archive's messages, in whatever order they come. */
    public final class Progress {
        private final Entry entry;
        private final TreeSet<Long> ahead = new TreeSet<>();

        private Progress(Entry entry) {
            this.entry = entry;
        }

        /** Message {@code index} (0-based, in file order) was answered. */
        public void answered(long index) {
            synchronized (ImportState.this) {
                if (index == entry.done) {
                    entry.done++;
                    while (!ahead.isEmpty() && ahead.first() == entry.done) {
                        ahead.pollFirst();
                        entry.done++;
                    }
                } else if (index > entry.done) {
                    ahead.add(index);
                }
            }
        }

        /** How many messages from the start are all answered. */
        public long done() {
            synchronized (ImportState.this) {
                return entry.done;
            }
        }
    }

    private static final class Entry {
        final long size;
        final long modified;
        long done;

        Entry(long size, long modified, long done) {
            this.size = size;
            this.modified = modified;
            this.done = done;
        }
    }
}

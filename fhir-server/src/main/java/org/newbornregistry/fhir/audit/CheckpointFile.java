package org.newbornregistry.fhir.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checkpoints as they leave the database: an append-only text file outside the database's
 * data directory, each signed note written and forced to disk as it is signed. Whoever can change
 * the database cannot by that change this file; pointed at a write-once volume or shipped on to
 * the auditors, it is what shows a log that was truncated or rewritten and then signed afresh.
 *
 * <p>The file is signed notes one after another. A note is its text, a blank line and its
 * signature lines ({@code — name base64}); the first line that is not a signature line after them
 * starts the next note. A single note, as an auditor keeps one, is such a file too.
 */
public final class CheckpointFile {

    private static final String SIGNATURE_PREFIX = "\u2014 ";

    private final Path path;

    public CheckpointFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Appends a signed note and forces it to disk before returning. */
    public synchronized void append(String note) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer bytes = ByteBuffer.wrap(note.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append the checkpoint to " + path, e);
        }
    }

    /** The last note of the file, if it has one. */
    public Optional<String> latest() {
        List<String> notes = notes();
        return notes.isEmpty() ? Optional.empty() : Optional.of(notes.get(notes.size() - 1));
    }

    /** The notes of the file, oldest first; none when there is no file. */
    public List<String> notes() {
        if (!Files.exists(path)) {
            return List.of();
        }
        try {
            return split(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint file " + path, e);
        }
    }

    /** Notes written one after another, split apart. */
    public static List<String> split(String text) {
        List<String> notes = new ArrayList<>();
        StringBuilder note = new StringBuilder();
        boolean inSignatures = false;
        boolean afterBlank = false;
        for (String line : text.split("\n", -1)) {
            if (inSignatures && !line.startsWith(SIGNATURE_PREFIX)) {
                notes.add(note.toString());
                note.setLength(0);
                inSignatures = false;
                afterBlank = false;
            }
            if (line.isEmpty() && note.length() == 0) {
                continue;
            }
            if (afterBlank && line.startsWith(SIGNATURE_PREFIX)) {
                inSignatures = true;
            }
            afterBlank = line.isEmpty();
            note.append(line).append('\n');
        }
        if (inSignatures) {
            notes.add(note.toString());
        }
        return notes;
    }
}

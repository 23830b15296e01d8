package org.newbornregistry.fhir.audit;

import org.newbornregistry.fhir.error.SafeThrowables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Verifies the audit log every {@code nbr.audit.verify-interval} and keeps the last result, for the
 * {@code nbr.audit.verify.*} gauges and readiness ({@link AuditLogHealthIndicator}); an auditor's
 * {@code POST /audit/log/verify} is recorded the same way. Why a thread of its own: verification
 * rereads every AuditEvent, which takes minutes on a large log, and the application's one scheduler
 * thread also signs the checkpoints.
 */
public class AuditVerifications implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(AuditVerifications.class);
    /** Time from start-up to the first periodic verification: the application is up and the first checkpoint signed. */
    static final Duration FIRST_AFTER = Duration.ofMinutes(2);

    /** A verification and when it finished. */
    public record Recorded(AuditLog.Verification verification, Instant at) {
    }

    private final AuditLog log;
    private final Duration interval;
    private final Clock clock;
    private final AtomicReference<Recorded> last = new AtomicReference<>();
    private ScheduledExecutorService schedule;

    /**
     * @param interval time between periodic verifications; zero or negative for none
     */
    public AuditVerifications(AuditLog log, Duration interval, Clock clock) {
        this.log = log;
        this.interval = interval;
        this.clock = clock;
    }

    /** Verifies the log now and records the result. */
    public AuditLog.Verification verify() {
        return verify(null);
    }

    /** Verifies the log now, against {@code heldByAuditor} too (a signed checkpoint note, or null), and records the result. */
    public AuditLog.Verification verify(String heldByAuditor) {
        AuditLog.Verification verification = log.verify(heldByAuditor);
        last.set(new Recorded(verification, clock.instant()));
        if (!verification.verified()) {
            LOG.error("Audit log verification failed at leaf {} (checkpoint size {}): {}", verification.leafIndex(),
                    verification.checkpointSize(), verification.reason());
        }
        return verification;
    }

    /** The last verification, if there was one since start-up. */
    public Optional<Recorded> last() {
        return Optional.ofNullable(last.get());
    }

    @Override
    public synchronized void start() {
        if (interval.isZero() || interval.isNegative() || schedule != null) {
            return;
        }
        schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nbr-audit-verify");
            thread.setDaemon(true);
            return thread;
        });
        schedule.scheduleWithFixedDelay(this::verifyPeriodically, Math.min(FIRST_AFTER.toMillis(), interval.toMillis()),
                interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void verifyPeriodically() {
        try {
            verify();
        } catch (RuntimeException e) {
            // Why: an unreachable database is the db health check's to report; the last result stands, and a thrown
            // exception would end the schedule.
            LOG.warn("Periodic audit log verification could not run: {}", SafeThrowables.describe(e));
        }
    }

    @Override
    public synchronized void stop() {
        if (schedule != null) {
            schedule.shutdownNow();
            schedule = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return schedule != null;
    }
}

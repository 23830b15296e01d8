package org.newbornregistry.fhir.audit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.audit.merkle.NoteSigner;
import org.springframework.boot.actuate.health.Status;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The periodic verification of the audit log and what the metrics and readiness make of its last result. */
class AuditVerificationsTest {

    @Test
    void shouldVerifyOnAThreadOfItsOwnAtTheIntervalAndKeepTheResult() throws Exception {
        // given
        List<String> threads = new CopyOnWriteArrayList<>();
        CountDownLatch twice = new CountDownLatch(2);
        AuditVerifications verifications = new AuditVerifications(log(threads, twice, AuditLog.Verification.ok(7, 7)),
                Duration.ofMillis(20), Clock.systemUTC());

        // when
        verifications.start();
        boolean verifiedTwice;
        try {
            verifiedTwice = twice.await(10, TimeUnit.SECONDS);
        } finally {
            verifications.stop();
        }

        // then
        assertThat(verifiedTwice).isTrue();
        assertThat(threads).allMatch("nbr-audit-verify"::equals);
        assertThat(verifications.last()).hasValueSatisfying(last -> assertThat(last.verification().verified()).isTrue());
        assertThat(verifications.isRunning()).isFalse();
    }

    @Test
    void shouldReportOutOfServiceAndZeroWhenTheLastVerificationFoundTheLogAltered() throws Exception {
        // given
        AuditLog log = log(new CopyOnWriteArrayList<>(), new CountDownLatch(1),
                AuditLog.Verification.mismatch(7, 7, 3L, "ae-1", "the AuditEvent was changed after it was logged"));
        AuditVerifications verifications = new AuditVerifications(log, Duration.ZERO, Clock.systemUTC());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new AuditLogMetrics(log, verifications, Clock.systemUTC()).bindTo(meters);
        AuditLogHealthIndicator health = new AuditLogHealthIndicator(verifications);
        double before = meters.get("nbr.audit.verify.result").gauge().value();

        // when
        verifications.verify();

        // then
        assertThat(before).as("no verification yet").isNaN();
        assertThat(meters.get("nbr.audit.verify.result").gauge().value()).isZero();
        assertThat(meters.get("nbr.audit.verify.timestamp").gauge().value()).isPositive();
        assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(health.health().getDetails()).containsEntry("leafIndex", 3L);
    }

    @Test
    void shouldBeUpBeforeTheFirstVerificationAndScheduleNothingWithoutAnInterval() throws Exception {
        // given
        AuditVerifications verifications = new AuditVerifications(log(new CopyOnWriteArrayList<>(), new CountDownLatch(1),
                AuditLog.Verification.ok(0, 0)), Duration.ZERO, Clock.systemUTC());

        // when
        verifications.start();

        // then
        assertThat(verifications.isRunning()).isFalse();
        assertThat(new AuditLogHealthIndicator(verifications).health().getStatus()).isEqualTo(Status.UP);
    }

    /** A log whose verification gives {@code result}, notes the thread that asked and counts down. */
    private static AuditLog log(List<String> threads, CountDownLatch verified, AuditLog.Verification result) throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        return new AuditLog(null, null, new NoteSigner("test", keys.getPrivate(), keys.getPublic()), keys.getPublic(), null,
                "test", Clock.systemUTC()) {
            @Override
            public Verification verify(String heldByAuditor) {
                threads.add(Thread.currentThread().getName());
                verified.countDown();
                return result;
            }
        };
    }
}

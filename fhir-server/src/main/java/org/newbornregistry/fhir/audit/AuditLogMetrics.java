package org.newbornregistry.fhir.audit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.newbornregistry.fhir.metrics.CachedQuery;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The tamper-evident audit log as metrics:
 * <ul>
 *   <li>{@code nbr.audit.log.entries}: entries covered by the last signed checkpoint;</li>
 *   <li>{@code nbr.audit.log.unsigned}: entries recorded since, waiting for the next checkpoint;</li>
 *   <li>{@code nbr.audit.checkpoint.age}: seconds since the last checkpoint was signed (a checkpoint is signed only
 *       when there is something new, so alert on its age together with unsigned entries);</li>
 *   <li>{@code nbr.audit.verify.result}: 1 if the last verification found the log intact, 0 if not; NaN before the
 *       first one;</li>
 *   <li>{@code nbr.audit.verify.timestamp}: when that verification finished, in seconds since the epoch.</li>
 * </ul>
 * The log's numbers come from one query, run at most once per {@link CachedQuery#DEFAULT_PERIOD}.
 */
public class AuditLogMetrics implements MeterBinder {

    private final Supplier<AuditLog.Progress> progress;
    private final AuditVerifications verifications;
    private final Clock clock;

    public AuditLogMetrics(AuditLog log, AuditVerifications verifications, Clock clock) {
        this.progress = new CachedQuery<>(log::progress, CachedQuery.DEFAULT_PERIOD, clock);
        this.verifications = verifications;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("nbr.audit.log.entries", progress, p -> p.get().signedEntries())
                .description("Audit log entries covered by the last signed checkpoint")
                .baseUnit("entries")
                .register(registry);
        Gauge.builder("nbr.audit.log.unsigned", progress, p -> p.get().unsignedEntries())
                .description("Audit log entries recorded since the last signed checkpoint, waiting for the next")
                .baseUnit("entries")
                .register(registry);
        Gauge.builder("nbr.audit.checkpoint.age", progress, p -> p.get().signedSince() == null ? 0
                        : Duration.between(p.get().signedSince(), clock.instant()).toMillis() / 1000.0)
                .description("Time since the last audit checkpoint was signed (before the first: since the first entry)")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("nbr.audit.verify.result", verifications, v -> v.last()
                        .map(r -> r.verification().verified() ? 1.0 : 0.0).orElse(Double.NaN))
                .description("Whether the last verification found the audit log intact: 1 yes, 0 no")
                .register(registry);
        Gauge.builder("nbr.audit.verify.timestamp", verifications, v -> v.last()
                        .map(r -> r.at().toEpochMilli() / 1000.0).orElse(Double.NaN))
                .description("When the last verification of the audit log finished, since the epoch")
                .baseUnit("seconds")
                .register(registry);
    }
}

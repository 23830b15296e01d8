package org.newbornregistry.routes.index;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.newbornregistry.adapter.audit.IndexAuditEvents;
import org.newbornregistry.fhir.audit.AuditTrail;
import org.newbornregistry.fhir.outbox.IndexOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;

/**
 * One run of retention: queues, in one transaction with the run's audit event, a RETAIN row for
 * every STR genotype past its grace period and a REVIEW for every newborn the index holds who has
 * reached the age of majority. The outbox route then decides each at its own pace, exactly as it
 * decides a withdrawal: what is no longer consented is deleted at the index and erased here.
 * Counts go to the metrics {@code nbr.retention.queued{kind}} and {@code nbr.retention.runs}.
 */
public class RetentionRun {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionRun.class);

    private final IndexOutbox outbox;
    private final AuditTrail audit;
    private final IndexAuditEvents events;
    private final TransactionTemplate transactions;
    private final Duration gracePeriod;
    private final Period ageOfMajority;
    private final Clock clock;
    private final Counter runs;
    private final Counter genotypesQueued;
    private final Counter majorityQueued;

    public RetentionRun(IndexOutbox outbox, AuditTrail audit, IndexAuditEvents events, TransactionTemplate transactions,
                        Duration gracePeriod, Period ageOfMajority, Clock clock, MeterRegistry meters) {
        this.outbox = outbox;
        this.audit = audit;
        this.events = events;
        this.transactions = transactions;
        this.gracePeriod = gracePeriod;
        this.ageOfMajority = ageOfMajority;
        this.clock = clock;
        this.runs = Counter.builder("nbr.retention.runs").description("Retention runs").register(meters);
        this.genotypesQueued = Counter.builder("nbr.retention.queued").tag("kind", "genotype")
                .description("Genotypes queued for a retention review").register(meters);
        this.majorityQueued = Counter.builder("nbr.retention.queued").tag("kind", "age-of-majority")
                .description("Index entries queued for review at the age of majority").register(meters);
    }

    /** Runs retention once; the counts it queued, genotypes first. */
    public int[] run() {
        Instant now = clock.instant();
        Instant bornBy = now.atZone(ZoneOffset.UTC).toLocalDate().minus(ageOfMajority).atStartOfDay(ZoneOffset.UTC)
                .toInstant().plusSeconds(86_399);
        int[] queued = transactions.execute(tx -> {
            int genotypes = outbox.queueGenotypeRetention(now.minus(gracePeriod), now);
            int pastMajority = outbox.queueMajorityReviews(bornBy, now);
            audit.record(events.retentionRun(now, genotypes, pastMajority));
            return new int[]{genotypes, pastMajority};
        });
        runs.increment();
        genotypesQueued.increment(queued[0]);
        majorityQueued.increment(queued[1]);
        LOG.info("Retention run: {} genotypes queued for review, {} index entries past the age of majority", queued[0], queued[1]);
        return queued;
    }
}

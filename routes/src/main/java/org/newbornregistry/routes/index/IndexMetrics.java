package org.newbornregistry.routes.index;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.newbornregistry.adapter.consent.ConsentDecision;
import org.newbornregistry.adapter.consent.RegistryPurpose;
import org.newbornregistry.fhir.outbox.OutboxAction;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forwarding to the national index as counters: {@code nbr.index.deliveries}, the outbox rows
 * worked by action and outcome, and {@code nbr.consent.decisions}, the consent decisions the route
 * acted on by purpose and outcome. Both count when the row's transaction commits, as its audit
 * events do: a worked row rolled back is worked again. Tags come from fixed lists (no row id, no
 * newborn); every series exists from the start at zero.
 */
public class IndexMetrics {

    /** Outcomes of a worked outbox row: its final status, or another try later. */
    public enum Outcome {
        /** Delivered, or nothing (more) to send. */
        DONE,
        /** Not sent: no consent, nothing reportable, or withdrawn. */
        CANCELLED,
        /** Needs an operator: refused by the index, or out of attempts. */
        PARKED,
        /** Failed for now; tried again after a back-off. */
        RETRY,
        /** Waits for the registry: its newborn is not known yet. */
        WAITING
    }

    /** The purposes the route decides: submission, and profiling and storage for retention. */
    private static final List<RegistryPurpose> DECIDED = List.of(RegistryPurpose.INDEX_SUBMISSION,
            RegistryPurpose.STR_PROFILING, RegistryPurpose.SPOT_STORAGE);

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public IndexMetrics(MeterRegistry registry) {
        for (OutboxAction action : OutboxAction.values()) {
            for (Outcome outcome : Outcome.values()) {
                counters.put(action + "|" + outcome, Counter.builder("nbr.index.deliveries")
                        .description("Outbox rows worked towards the national index, by action and outcome")
                        .tag("action", action.name().toLowerCase(Locale.ROOT))
                        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                        .register(registry));
            }
        }
        for (RegistryPurpose purpose : DECIDED) {
            for (ConsentDecision.Reason reason : ConsentDecision.Reason.values()) {
                counters.put(purpose.code() + "|" + reason, Counter.builder("nbr.consent.decisions")
                        .description("Consent decisions the forwarding acted on, by purpose and outcome (PERMITTED or the"
                                + " reason for a denial)")
                        .tag("purpose", purpose.code())
                        .tag("outcome", reason.name())
                        .register(registry));
            }
        }
    }

    /** Counts a worked outbox row once its transaction commits. */
    void worked(OutboxAction action, Outcome outcome) {
        countOnCommit(action + "|" + outcome);
    }

    /** Counts a consent decision once its transaction commits. */
    void decided(RegistryPurpose purpose, ConsentDecision.Reason reason) {
        countOnCommit(purpose.code() + "|" + reason);
    }

    private void countOnCommit(String key) {
        Counter counter = counters.get(key);
        if (counter == null) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            counter.increment();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                counter.increment();
            }
        });
    }
}

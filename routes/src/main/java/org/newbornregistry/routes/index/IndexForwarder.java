package org.newbornregistry.routes.index;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Specimen;
import org.newbornregistry.adapter.audit.IndexAuditEvents;
import org.newbornregistry.adapter.consent.ConsentDecision;
import org.newbornregistry.adapter.consent.ConsentPolicy;
import org.newbornregistry.adapter.consent.GivenConsent;
import org.newbornregistry.adapter.consent.RegistryPurpose;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.index.CmfWriter;
import org.newbornregistry.adapter.index.IndexFhirWriter;
import org.newbornregistry.adapter.index.IndexSubmission;
import org.newbornregistry.adapter.index.Pseudonymizer;
import org.newbornregistry.adapter.index.StrGenotypes;
import org.newbornregistry.fhir.audit.AuditTrail;
import org.newbornregistry.fhir.error.SafeThrowables;
import org.newbornregistry.fhir.hl7.MessageStore;
import org.newbornregistry.fhir.outbox.IndexOutbox;
import org.newbornregistry.fhir.outbox.OutboxAction;
import org.newbornregistry.fhir.outbox.OutboxRow;
import org.newbornregistry.fhir.outbox.OutboxStatus;
import org.newbornregistry.fhir.store.RegistryReadService;
import org.newbornregistry.fhir.store.ResourceEraser;
import org.newbornregistry.fhir.store.ResourceKey;
import org.newbornregistry.routes.config.IndexProperties;
import org.newbornregistry.routes.retry.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Works the outbox towards the national index, one row per database transaction: the row is
 * locked ({@code FOR UPDATE SKIP LOCKED}, so another adapter instance takes the next one), the
 * consent is decided again at this moment, the submission or the delete is sent, and the row is
 * finished, retried later with exponential back-off and jitter, or parked after the configured
 * attempts. A submission's idempotency key is its genotype's id and version, so a retry after a
 * lost answer is not a second profile at the index.
 *
 * <p>Whatever goes wrong while one row is worked is that row's outcome: its work runs behind a
 * savepoint, so an exception of any kind rolls back only that work, and the row, still locked,
 * records the failed attempt (counted, backed off, parked after the maximum, audited) in the
 * same transaction. The rows behind it go on in the same tick.
 *
 * <p>Outcomes and logs carry row ids, error codes, reasons and HTTP statuses; never a pseudonym
 * with a record, never an allele.
 */
public class IndexForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(IndexForwarder.class);

    private final IndexOutbox outbox;
    private final RegistryLookups lookups;
    private final ConsentRecords consents;
    private final ConsentPolicy policy;
    private final Pseudonymizer pseudonyms;
    private final IndexClient client;
    private final ResourceEraser eraser;
    private final MessageStore messages;
    private final AuditTrail audit;
    private final IndexAuditEvents events;
    private final TransactionTemplate transactions;
    private final TransactionTemplate rowWork;
    private final IndexProperties properties;
    private final Backoff backoff;
    private final Clock clock;
    private final CmfWriter cmf;
    private final IndexFhirWriter fhirWriter = new IndexFhirWriter();
    private final FhirContext fhir;
    private final IndexMetrics metrics;

    public IndexForwarder(IndexOutbox outbox, RegistryReadService reads, Pseudonymizer pseudonyms, IndexClient client,
                          ResourceEraser eraser, MessageStore messages, AuditTrail audit, IndexAuditEvents events,
                          TransactionTemplate transactions, IndexProperties properties, Clock clock,
                          FhirContext fhir, IndexMetrics metrics) {
        this.outbox = outbox;
        this.lookups = new RegistryLookups(reads);
        this.consents = new ConsentRecords(lookups);
        this.policy = new ConsentPolicy(java.time.Period.ofYears(properties.ageOfMajority()), ZoneOffset.UTC);
        this.pseudonyms = pseudonyms;
        this.client = client;
        this.eraser = eraser;
        this.messages = messages;
        this.audit = audit;
        this.events = events;
        this.transactions = transactions;
        this.rowWork = new TransactionTemplate(transactions.getTransactionManager());
        this.rowWork.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.properties = properties;
        this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff());
        this.clock = clock;
        this.fhir = fhir;
        this.metrics = metrics;
        this.cmf = new CmfWriter(new org.newbornregistry.adapter.index.CmfHeader(properties.destinationOri(),
                properties.sourceLab(), properties.submittedBy(), properties.specimenCategory()));
    }

    /** Works due rows until none is left or {@code max} were worked; how many. */
    public int drain(int max) {
        int worked = 0;
        while (worked < max && Boolean.TRUE.equals(transactions.execute(tx -> workNext()))) {
            worked++;
        }
        return worked;
    }

    /** Works the next due row, in the caller's transaction; whether there was one. */
    private boolean workNext() {
        Instant now = clock.instant();
        Optional<OutboxRow> claimed = outbox.claimNext(now);
        if (claimed.isEmpty()) {
            return false;
        }
        OutboxRow row = claimed.get();
        Step step;
        try {
            step = rowWork.execute(savepoint -> work(row, now));
        } catch (RuntimeException e) {
            step = Step.failed(e);
        }
        record(row, step, now);
        return true;
    }

    /** The row's work, behind a savepoint: what it wrote is undone if it throws. */
    private Step work(OutboxRow row, Instant now) {
        try {
            return switch (row.action()) {
                case SUBMIT -> submit(row, now);
                case REVIEW -> review(row, now);
                case RETAIN -> retain(row, now);
            };
        } catch (IOException e) {
            return Step.retry(NbrError.INDEX_UNREACHABLE, unreachable(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Step.retry(NbrError.INTERNAL_ERROR, "interrupted");
        }
    }

    private Step submit(OutboxRow row, Instant now) throws IOException, InterruptedException {
        Optional<Observation> found = lookups.read(Observation.class, "Observation/" + row.observationId());
        if (found.isEmpty()) {
            return Step.finish(OutboxStatus.CANCELLED, "the genotype no longer exists");
        }
        Observation genotype = found.get();
        if (!StrGenotypes.isReportable(genotype)) {
            return Step.finish(OutboxStatus.CANCELLED, "the genotype is not final");
        }
        Optional<String> patientId = newborn(genotype);
        if (patientId.isEmpty()) {
            return Step.later("the newborn is not known yet: the blood spot is not linked to a birth record");
        }
        Optional<Patient> newborn = lookups.read(Patient.class, "Patient/" + patientId.get());
        if (newborn.isEmpty()) {
            return Step.later("the newborn's record is not in the registry");
        }
        outbox.lockNewborn(patientId.get());
        long version = Long.parseLong(genotype.getMeta().getVersionId());
        String genotypeVersion = "Observation/" + genotype.getIdElement().getIdPart() + "/_history/" + version;
        ConsentDecision decision = decide(patientId.get(), newborn.get(), now);
        if (undecidable(decision)) {
            return Step.later(WITHOUT_BIRTH_DATE);
        }
        if (!decision.permitted()) {
            audit.record(events.submissionWithheld(now, decision.reason().name(), patientId.get(), genotypeVersion));
            return Step.finish(OutboxStatus.CANCELLED, "no consent to submit: " + decision.reason());
        }
        Optional<IndexOutbox.Delivery> held = outbox.delivery(patientId.get());
        if (held.isPresent() && held.get().observationId().equals(genotype.getIdElement().getIdPart())
                && held.get().observationVersion() >= version) {
            return Step.finish(OutboxStatus.DONE, "the index already holds this genotype version");
        }
        String pseudonym = pseudonyms.pseudonym(patientId.get());
        Optional<IndexSubmission> submission = GenotypeSubmissions.of(genotype, pseudonym);
        if (submission.isEmpty()) {
            return Step.finish(OutboxStatus.CANCELLED, "the genotype has no locus the index takes");
        }
        String key = "nbr-" + genotype.getIdElement().getIdPart() + "-" + version;
        IndexClient.Answer answer;
        try {
            answer = send(submission.get(), key, now);
        } catch (IOException e) {
            audit.record(events.submission(now, IndexAuditEvents.Outcome.RETRY, unreachable(e), patientId.get(), genotypeVersion));
            throw e;
        }
        if (answer.accepted()) {
            outbox.delivered(patientId.get(), genotype.getIdElement().getIdPart(), version, answer.receipt(),
                    pseudonyms.lookupKey(pseudonym), now);
            audit.record(events.submission(now, IndexAuditEvents.Outcome.SUCCESS, "receipt " + answer.receipt(),
                    patientId.get(), genotypeVersion));
            return Step.finish(OutboxStatus.DONE, "delivered, receipt " + answer.receipt());
        }
        audit.record(events.submission(now, answer.transientFailure() ? IndexAuditEvents.Outcome.RETRY : IndexAuditEvents.Outcome.FAILED,
                "HTTP " + answer.status(), patientId.get(), genotypeVersion));
        return answer.transientFailure() ? Step.retry(NbrError.INDEX_REFUSED, "index answered HTTP " + answer.status())
                : Step.finish(OutboxStatus.PARKED, NbrError.INDEX_REFUSED.code() + " index refused the submission: HTTP " + answer.status());
    }

    private IndexClient.Answer send(IndexSubmission submission, String key, Instant now) throws IOException, InterruptedException {
        if (properties.format() == IndexProperties.Format.CMF) {
            // Why: CMF's batch id holds 32 characters at most.
            String batchId = key.length() > 32 ? key.substring(0, 32) : key;
            return client.submit(cmf.write(submission, batchId, now).getBytes(StandardCharsets.UTF_8), "application/xml", key);
        }
        return client.submit(fhir.newJsonParser().encodeResourceToString(fhirWriter.write(submission))
                .getBytes(StandardCharsets.UTF_8), "application/fhir+json", key);
    }

    private static String unreachable(IOException e) {
        return "index unreachable (" + e.getClass().getSimpleName() + ")";
    }

    /** A consent changed: submit what is now permitted, withdraw what no longer is. */
    private Step review(OutboxRow row, Instant now) throws IOException, InterruptedException {
        String patientId = row.patientId();
        Optional<Patient> newborn = lookups.read(Patient.class, "Patient/" + patientId);
        if (newborn.isEmpty()) {
            return Step.finish(OutboxStatus.CANCELLED, "the newborn no longer exists");
        }
        outbox.lockNewborn(patientId);
        ConsentDecision decision = decide(patientId, newborn.get(), now);
        if (undecidable(decision)) {
            return Step.later(WITHOUT_BIRTH_DATE);
        }
        Optional<IndexOutbox.Delivery> held = outbox.delivery(patientId);
        if (decision.permitted()) {
            if (held.isEmpty()) {
                for (Observation genotype : genotypesOf(patientId)) {
                    if (outbox.submissionPending(genotype.getIdElement().getIdPart())) {
                        continue;
                    }
                    outbox.enqueue(OutboxAction.SUBMIT, "CONSENT_GIVEN", patientId, genotype.getIdElement().getIdPart(),
                            Long.parseLong(genotype.getMeta().getVersionId()), now);
                }
            }
            return Step.finish(OutboxStatus.DONE, "consent permits submission");
        }
        int cancelled = outbox.cancelPending(patientId, "consent withdrawn: " + decision.reason(), now);
        if (cancelled > 0) {
            audit.record(events.submissionsCancelled(now, decision.reason().name(), patientId, cancelled));
        }
        if (held.isEmpty()) {
            return Step.finish(OutboxStatus.DONE, "consent does not permit submission (" + decision.reason() + "); "
                    + cancelled + " queued submission(s) cancelled; nothing at the index");
        }
        return withdrawAndErase(row, patientId, held.get(), decision.reason().name(), now);
    }

    /**
     * Deletes the newborn's profile at the index and, once the index confirms, erases the genotype
     * it was made from; a failed delete is retried like a submission.
     */
    private Step withdrawAndErase(OutboxRow row, String patientId, IndexOutbox.Delivery held, String reasonCode, Instant now)
            throws IOException, InterruptedException {
        String genotypeVersion = "Observation/" + held.observationId() + "/_history/" + held.observationVersion();
        IndexClient.Answer answer;
        try {
            answer = client.delete(pseudonyms.pseudonym(patientId));
        } catch (IOException e) {
            audit.record(events.deletion(now, IndexAuditEvents.Outcome.RETRY, unreachable(e), patientId, genotypeVersion));
            throw e;
        }
        if (!answer.accepted()) {
            audit.record(events.deletion(now, answer.transientFailure() ? IndexAuditEvents.Outcome.RETRY
                    : IndexAuditEvents.Outcome.FAILED, "HTTP " + answer.status(), patientId, genotypeVersion));
            return answer.transientFailure()
                    ? Step.retry(NbrError.INDEX_REFUSED, "index answered HTTP " + answer.status() + " to the delete")
                    : Step.finish(OutboxStatus.PARKED, NbrError.INDEX_REFUSED.code() + " index refused the delete: HTTP " + answer.status());
        }
        audit.record(events.deletion(now, IndexAuditEvents.Outcome.SUCCESS, "deleted", patientId, genotypeVersion));
        outbox.withdrawn(patientId);
        erase(row, patientId, held.observationId(), held.observationVersion(), reasonCode, now);
        return Step.finish(OutboxStatus.DONE, "withdrawn from the index and erased locally (" + reasonCode + ")");
    }

    /** Erases a genotype with its history and the bytes of the HL7 messages that carried it, audited. */
    private void erase(OutboxRow row, String patientId, String genotypeId, long version, String reasonCode, Instant now) {
        String genotypeVersion = "Observation/" + genotypeId + "/_history/" + version;
        int raw = messages.forgetRawOf("Observation", genotypeId);
        // Why: recorded before the erasure, while the genotype it names still exists for the reference check.
        audit.record(events.erasure(now, reasonCode, patientId, genotypeVersion, (int) version, raw));
        int versions = eraser.erase(new ResourceKey("Observation", genotypeId), now);
        LOG.info("Outbox row {}: genotype {} erased ({} versions, {} HL7 messages' bytes), {}", row.id(), genotypeId, versions,
                raw, reasonCode);
    }

    /**
     * Retention: a genotype is kept only while both STR profiling and blood-spot storage are
     * consented. Otherwise it is withdrawn from the index if it is there, and erased; a genotype
     * still linked to no birth record when retention looks at it is erased too.
     */
    private Step retain(OutboxRow row, Instant now) throws IOException, InterruptedException {
        Optional<Observation> found = lookups.read(Observation.class, "Observation/" + row.observationId());
        if (found.isEmpty()) {
            return Step.finish(OutboxStatus.DONE, "the genotype no longer exists");
        }
        Observation genotype = found.get();
        String genotypeId = genotype.getIdElement().getIdPart();
        long version = Long.parseLong(genotype.getMeta().getVersionId());
        Optional<String> patientId = newborn(genotype);
        if (patientId.isEmpty()) {
            erase(row, null, genotypeId, version, "UNLINKED", now);
            return Step.finish(OutboxStatus.DONE, "erased: linked to no birth record within the grace period");
        }
        Optional<Patient> newborn = lookups.read(Patient.class, "Patient/" + patientId.get());
        if (newborn.isEmpty()) {
            return Step.finish(OutboxStatus.DONE, "kept: the newborn's record is not in the registry");
        }
        outbox.lockNewborn(patientId.get());
        List<GivenConsent> given = consents.about(patientId.get());
        LocalDate birthDate = birthDate(newborn.get());
        ConsentDecision profiling = recorded(policy.decide(given, birthDate, RegistryPurpose.STR_PROFILING, now),
                RegistryPurpose.STR_PROFILING, patientId.get(), now);
        ConsentDecision storage = recorded(policy.decide(given, birthDate, RegistryPurpose.SPOT_STORAGE, now),
                RegistryPurpose.SPOT_STORAGE, patientId.get(), now);
        if (undecidable(profiling) || undecidable(storage)) {
            return Step.finish(OutboxStatus.DONE, "kept: " + WITHOUT_BIRTH_DATE);
        }
        if (profiling.permitted() && storage.permitted()) {
            return Step.finish(OutboxStatus.DONE, "kept: STR profiling and blood-spot storage are consented");
        }
        String reasonCode = !profiling.permitted() ? "STR_PROFILING_" + profiling.reason() : "SPOT_STORAGE_" + storage.reason();
        int cancelled = outbox.cancelPending(patientId.get(), "retention: " + reasonCode, now);
        if (cancelled > 0) {
            audit.record(events.submissionsCancelled(now, reasonCode, patientId.get(), cancelled));
        }
        Optional<IndexOutbox.Delivery> held = outbox.delivery(patientId.get());
        if (held.isPresent() && held.get().observationId().equals(genotypeId)) {
            return withdrawAndErase(row, patientId.get(), held.get(), reasonCode, now);
        }
        erase(row, patientId.get(), genotypeId, version, reasonCode, now);
        return Step.finish(OutboxStatus.DONE, "erased (" + reasonCode + ")");
    }

    private static final String WITHOUT_BIRTH_DATE =
            "the newborn's record has no birth date, and the consent decision depends on her age";

    /** The newborn's birth date, or null when the record has none (a decision then holds only if it holds at any age). */
    private static LocalDate birthDate(Patient newborn) {
        return newborn.hasBirthDate()
                ? newborn.getBirthDateElement().getValueAsCalendar().toZonedDateTime().toLocalDate()
                : null;
    }

    /** Whether a decision needs the birth date the registry lacks: the row waits for it instead of acting. */
    private static boolean undecidable(ConsentDecision decision) {
        return decision.reason() == ConsentDecision.Reason.BIRTH_DATE_UNKNOWN;
    }

    private ConsentDecision decide(String patientId, Patient newborn, Instant now) {
        return recorded(policy.decide(consents.about(patientId), birthDate(newborn), RegistryPurpose.INDEX_SUBMISSION, now),
                RegistryPurpose.INDEX_SUBMISSION, patientId, now);
    }

    /** Every decision the route acts on is an audit event, in the row's transaction. */
    private ConsentDecision recorded(ConsentDecision decision, RegistryPurpose purpose, String patientId, Instant now) {
        audit.record(events.consentDecision(now, purpose.code(), decision.permitted(), decision.reason().name(), patientId,
                decision.consentId()));
        metrics.decided(purpose, decision.reason());
        return decision;
    }

    /** The newborn's reportable genotypes: those about the newborn, and those about a blood spot of the newborn. */
    private List<Observation> genotypesOf(String patientId) {
        String[] genotypeCode = {StrGenotypes.CODE_TOKEN};
        Map<String, Observation> found = new LinkedHashMap<>();
        lookups.search(Observation.class, Map.of("subject", new String[]{"Patient/" + patientId}, "code", genotypeCode))
                .forEach(o -> found.put(o.getIdElement().getIdPart(), o));
        String spots = lookups.search(Specimen.class, Map.of("subject", new String[]{"Patient/" + patientId})).stream()
                .map(spot -> "Specimen/" + spot.getIdElement().getIdPart()).collect(Collectors.joining(","));
        if (!spots.isEmpty()) {
            lookups.search(Observation.class, Map.of("specimen", new String[]{spots}, "code", genotypeCode))
                    .forEach(o -> found.putIfAbsent(o.getIdElement().getIdPart(), o));
        }
        return found.values().stream().filter(StrGenotypes::isReportable).toList();
    }

    /** The newborn a genotype is about: its subject, else its blood spot's subject. */
    private Optional<String> newborn(Observation genotype) {
        if (genotype.getSubject().getReferenceElement().getIdPart() != null) {
            return Optional.of(genotype.getSubject().getReferenceElement().getIdPart());
        }
        if (!genotype.hasSpecimen()) {
            return Optional.empty();
        }
        return lookups.read(Specimen.class, genotype.getSpecimen().getReference())
                .map(spot -> spot.getSubject().getReferenceElement().getIdPart());
    }

    private void record(OutboxRow row, Step step, Instant now) {
        if (step.waiting()) {
            // Why: waiting for the hospital's order is no failure of the index; it must not park the row.
            outbox.retryAt(row.id(), now.plus(properties.maxBackoff()), step.outcome(), row.attempts(), now);
            metrics.worked(row.action(), IndexMetrics.Outcome.WAITING);
            return;
        }
        int attempts = row.attempts() + 1;
        if (step.failure() != null) {
            recordFailure(row, step, attempts, now);
        }
        if (step.status() != null) {
            outbox.finish(row.id(), step.status(), step.outcome(), attempts, now);
            metrics.worked(row.action(), IndexMetrics.Outcome.valueOf(step.status().name()));
            LOG.info("Outbox row {} ({} {}): {} — {}", row.id(), row.action(), row.reason(), step.status(), step.outcome());
        } else if (attempts >= properties.maxAttempts()) {
            outbox.finish(row.id(), OutboxStatus.PARKED, step.outcome() + "; parked after " + attempts + " attempts", attempts, now);
            metrics.worked(row.action(), IndexMetrics.Outcome.PARKED);
            LOG.warn("Outbox row {} parked after {} attempts: {}", row.id(), attempts, step.outcome());
        } else {
            Instant next = now.plus(backoff.jitteredAfter(attempts));
            outbox.retryAt(row.id(), next, step.outcome(), attempts, now);
            metrics.worked(row.action(), IndexMetrics.Outcome.RETRY);
            LOG.info("Outbox row {} attempt {} failed ({}), next at {}", row.id(), attempts, step.outcome(), next);
        }
    }

    /**
     * An unexpected failure of a row's work: audited like any failed step, logged with its stack
     * trace the first time this row fails so (the log then says only the row and the code).
     */
    private void recordFailure(OutboxRow row, Step step, int attempts, Instant now) {
        boolean last = attempts >= properties.maxAttempts();
        String genotypeVersion = row.observationId() == null ? null
                : "Observation/" + row.observationId() + (row.observationVersion() == null ? "" : "/_history/" + row.observationVersion());
        audit.record(events.stepFailed(now, last ? IndexAuditEvents.Outcome.FAILED : IndexAuditEvents.Outcome.RETRY,
                row.action().name(), step.outcome(), row.patientId(), genotypeVersion));
        if (row.lastOutcome() == null || !row.lastOutcome().startsWith(NbrError.INTERNAL_ERROR.code())) {
            LOG.error("Outbox row {} ({} {}) failed unexpectedly, {}: {}", row.id(), row.action(), row.reason(),
                    NbrError.INTERNAL_ERROR.code(), SafeThrowables.describe(step.failure()));
        }
    }

    /**
     * What to do with a worked row: finish it in a status, try again after a failure, or wait for
     * the registry. {@code failure} is the exception of a row whose work failed unexpectedly.
     */
    private record Step(OutboxStatus status, String outcome, boolean waiting, RuntimeException failure) {
        static Step finish(OutboxStatus status, String outcome) {
            return new Step(status, outcome, false, null);
        }

        static Step retry(NbrError error, String outcome) {
            return new Step(null, error.code() + " " + outcome, false, null);
        }

        static Step later(String outcome) {
            return new Step(null, outcome, true, null);
        }

        /** Only the exception's type reaches the row's outcome: its message may carry what it was working on. */
        static Step failed(RuntimeException e) {
            return new Step(null, NbrError.INTERNAL_ERROR.code() + " internal error (" + e.getClass().getSimpleName() + ")",
                    false, e);
        }
    }
}

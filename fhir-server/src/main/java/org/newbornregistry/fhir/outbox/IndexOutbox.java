package org.newbornregistry.fhir.outbox;

import org.newbornregistry.adapter.index.StrGenotypes;
import org.newbornregistry.conformance.NbrCanonical;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outbox table ({@code index_outbox}) and the record of deliveries ({@code index_delivery}).
 * {@link #claimNext} must run inside the transaction that finishes the row: the row stays locked,
 * and skipped by other instances, until that transaction commits.
 */
public class IndexOutbox {

    private static final RowMapper<OutboxRow> ROW = (rs, n) -> new OutboxRow(rs.getLong("id"), OutboxAction.valueOf(rs.getString("action")),
            rs.getString("reason"), rs.getString("patient_id"), rs.getString("observation_id"),
            (Long) rs.getObject("observation_version"), rs.getInt("attempts"),
            rs.getObject("created", OffsetDateTime.class).toInstant(), rs.getString("outcome"));

    /** First key of the advisory locks on newborns, apart from the write path's condition locks. */
    private static final int NEWBORN_LOCK_SPACE = 0x4e42_5249;

    private final JdbcTemplate jdbc;

    public IndexOutbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds a row due now. */
    public long enqueue(OutboxAction action, String reason, String patientId, String observationId, Long observationVersion, Instant now) {
        return jdbc.queryForObject("""
                        insert into index_outbox (action, reason, patient_id, observation_id, observation_version, status,
                                                  next_attempt, created, updated)
                        values (?, ?, ?, ?, ?, 'PENDING', ?, ?, ?) returning id""",
                Long.class, action.name(), reason, patientId, observationId, observationVersion, utc(now), utc(now), utc(now));
    }

    /**
     * Makes the submissions still waiting to learn their newborn due now: a blood spot was linked
     * to a birth record, and it may be theirs.
     */
    public int wakeUnlinked(Instant now) {
        return jdbc.update("""
                update index_outbox set next_attempt = ? where status = 'PENDING' and action = 'SUBMIT'
                and patient_id is null and next_attempt > ?""", utc(now), utc(now));
    }

    /**
     * Retention, genotypes: queues a RETAIN row for every current STR genotype last changed before
     * {@code changedBefore} that has none pending.
     *
     * @return how many were queued
     */
    public int queueGenotypeRetention(Instant changedBefore, Instant now) {
        return jdbc.update("""
                insert into index_outbox (action, reason, observation_id, observation_version, status, next_attempt, created, updated)
                select 'RETAIN', 'RETENTION', r.res_id, r.version, 'PENDING', ?, ?, ?
                from resource r
                where r.res_type = 'Observation' and not r.deleted and r.last_updated < ?
                  and exists (select 1 from idx_token t where t.res_pid = r.pid and t.param = 'code'
                              and t.system = ? and t.code = ?)
                  and not exists (select 1 from index_outbox o where o.observation_id = r.res_id
                                  and o.action = 'RETAIN' and o.status = 'PENDING')""",
                utc(now), utc(now), utc(now), utc(changedBefore), StrGenotypes.LOINC, NbrCanonical.STR_GENOTYPE_CODE);
    }

    /**
     * Retention, age of majority: queues a REVIEW for every newborn the index holds who was born
     * on or before {@code bornBy} and has none pending; the review withdraws the entry unless the
     * grown child consented herself.
     *
     * @return how many were queued
     */
    public int queueMajorityReviews(Instant bornBy, Instant now) {
        return jdbc.update("""
                insert into index_outbox (action, reason, patient_id, status, next_attempt, created, updated)
                select 'REVIEW', 'AGE_OF_MAJORITY', d.patient_id, 'PENDING', ?, ?, ?
                from index_delivery d
                join resource r on r.res_type = 'Patient' and r.res_id = d.patient_id and not r.deleted
                where exists (select 1 from idx_date b where b.res_pid = r.pid and b.param = 'birthdate' and b.high <= ?)
                  and not exists (select 1 from index_outbox o where o.patient_id = d.patient_id
                                  and o.action = 'REVIEW' and o.status = 'PENDING')""",
                utc(now), utc(now), utc(now), utc(bornBy));
    }

    /** Locks the oldest due row no other transaction holds. */
    public Optional<OutboxRow> claimNext(Instant now) {
        return jdbc.query("""
                select * from index_outbox where status = 'PENDING' and next_attempt <= ?
                order by next_attempt, id limit 1 for update skip locked""", ROW, utc(now)).stream().findFirst();
    }

    /**
     * Holds, until the caller's transaction ends, the right to talk to the index about this
     * newborn. Why: two rows about one newborn (a submission and a review's re-submission, or two
     * adapter instances) must not both find nothing delivered and both send.
     */
    public void lockNewborn(String patientId) {
        jdbc.queryForList("select pg_advisory_xact_lock(?, hashtext(?))", Object.class, NEWBORN_LOCK_SPACE, patientId);
    }

    /** Whether a submission of this genotype is already queued. */
    public boolean submissionPending(String observationId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                select exists (select 1 from index_outbox where observation_id = ? and action = 'SUBMIT' and status = 'PENDING')""",
                Boolean.class, observationId));
    }

    /** Finishes a row: DONE, CANCELLED or PARKED, with what happened. */
    public void finish(long id, OutboxStatus status, String outcome, int attempts, Instant now) {
        jdbc.update("update index_outbox set status = ?, outcome = ?, attempts = ?, updated = ? where id = ?",
                status.name(), outcome, attempts, utc(now), id);
    }

    /** Tries a row again later. */
    public void retryAt(long id, Instant when, String outcome, int attempts, Instant now) {
        jdbc.update("update index_outbox set next_attempt = ?, outcome = ?, attempts = ?, updated = ? where id = ?",
                utc(when), outcome, attempts, utc(now), id);
    }

    /** Cancels the pending submissions of a newborn; how many. */
    public int cancelPending(String patientId, String outcome, Instant now) {
        return jdbc.update("""
                update index_outbox set status = 'CANCELLED', outcome = ?, updated = ?
                where patient_id = ? and status = 'PENDING' and action = 'SUBMIT'""", outcome, utc(now), patientId);
    }

    /** Makes a parked row due again (an operator's retry); whether there was one. */
    public boolean retryParked(long id, Instant now) {
        return jdbc.update("""
                update index_outbox set status = 'PENDING', attempts = 0, next_attempt = ?, updated = ?
                where id = ? and status = 'PARKED'""", utc(now), utc(now), id) == 1;
    }

    /** Rows in a status, newest first, for operators. */
    public List<Map<String, Object>> list(OutboxStatus status, int limit) {
        return jdbc.queryForList("""
                select id, action, reason, patient_id, observation_id, observation_version, status, attempts, next_attempt,
                       outcome, created, updated
                from index_outbox where status = ? order by id desc limit ?""", status.name(), limit);
    }

    /** One row, for operators. */
    public Optional<Map<String, Object>> row(long id) {
        return jdbc.queryForList("""
                select id, action, reason, patient_id, observation_id, observation_version, status, attempts, next_attempt,
                       outcome, created, updated
                from index_outbox where id = ?""", id).stream().findFirst();
    }

    /** When the oldest pending row was created, if any is pending: how far delivery lags. */
    public Optional<Instant> oldestPending() {
        return Optional.ofNullable(jdbc.queryForObject("select min(created) from index_outbox where status = 'PENDING'",
                OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    /**
     * The outbox's backlog for metrics and health, in one statement over the partial indexes of
     * pending and parked rows.
     *
     * @param pending       rows waiting to be worked, those waiting for their newborn's birth record included
     * @param parked        rows that need an operator
     * @param oldestPending when the oldest pending row was created that is not waiting for the registry, or null: how
     *                      far delivery to the index lags. A row never tried but postponed is waiting: for its blood
     *                      spot to be linked to a birth record (or an operator's retry has just made it due again)
     */
    public record Backlog(long pending, long parked, Instant oldestPending) {
    }

    /** The backlog now. */
    public Backlog backlog() {
        return jdbc.queryForObject("""
                select (select count(*) from index_outbox where status = 'PENDING') as pending,
                       (select count(*) from index_outbox where status = 'PARKED') as parked,
                       (select min(created) from index_outbox
                        where status = 'PENDING' and (attempts > 0 or next_attempt <= created)) as oldest_pending""",
                (rs, n) -> {
                    OffsetDateTime oldest = rs.getObject("oldest_pending", OffsetDateTime.class);
                    return new Backlog(rs.getLong("pending"), rs.getLong("parked"), oldest == null ? null : oldest.toInstant());
                });
    }

    /** How many rows are in each status, in one statement; a status without rows is absent. */
    public Map<OutboxStatus, Long> counts() {
        Map<OutboxStatus, Long> counts = new EnumMap<>(OutboxStatus.class);
        jdbc.query("select status, count(*) from index_outbox group by status order by status",
                rs -> { counts.put(OutboxStatus.valueOf(rs.getString(1)), rs.getLong(2)); });
        return counts;
    }

    /** The median time from queueing to delivery of the rows delivered since {@code since}, in seconds; null without any. */
    public Double medianDeliverySeconds(Instant since) {
        return jdbc.queryForObject("""
                select percentile_cont(0.5) within group (order by extract(epoch from updated - created))
                  from index_outbox where status = 'DONE' and updated >= ?""", Double.class, since.atOffset(ZoneOffset.UTC));
    }

    /** What the index holds for a newborn. */
    public Optional<Delivery> delivery(String patientId) {
        return jdbc.query("select * from index_delivery where patient_id = ?", (rs, n) -> new Delivery(
                rs.getString("patient_id"), rs.getString("observation_id"), rs.getLong("observation_version"),
                rs.getString("receipt"), rs.getObject("delivered", OffsetDateTime.class).toInstant()), patientId)
                .stream().findFirst();
    }

    /**
     * Records that the index holds this genotype version for the newborn.
     *
     * @param pseudonymLookup the pseudonym's lookup key (never the pseudonym), for re-identification
     */
    public void delivered(String patientId, String observationId, long observationVersion, String receipt,
                          byte[] pseudonymLookup, Instant now) {
        jdbc.update("""
                insert into index_delivery (patient_id, observation_id, observation_version, receipt, pseudonym_lookup, delivered)
                values (?, ?, ?, ?, ?, ?)
                on conflict (patient_id) do update set observation_id = excluded.observation_id,
                    observation_version = excluded.observation_version, receipt = excluded.receipt,
                    pseudonym_lookup = excluded.pseudonym_lookup, delivered = excluded.delivered""",
                patientId, observationId, observationVersion, receipt, pseudonymLookup, utc(now));
    }

    /** The newborn whose profile the index holds under the pseudonym with this lookup key. */
    public Optional<String> patientByLookup(byte[] pseudonymLookup) {
        return jdbc.queryForList("select patient_id from index_delivery where pseudonym_lookup = ?", String.class, pseudonymLookup)
                .stream().findFirst();
    }

    /** Records that the index no longer holds the newborn's profile. */
    public void withdrawn(String patientId) {
        jdbc.update("delete from index_delivery where patient_id = ?", patientId);
    }

    /** A profile the index holds. */
    public record Delivery(String patientId, String observationId, long observationVersion, String receipt, Instant delivered) {
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}

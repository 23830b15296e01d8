package org.newbornregistry.fhir.outbox;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outbox table ({@code index_outbox}) and the record of deliveries ({@code index_delivery}).
 * {@link #claimNext} must run inside the transaction that finishes the row: the row stays locked,
 * and skipped by other instances, until that transaction commits.
 */
public class IndexOutbox {

    private static final RowMapper<OutboxRow> ROW = (rs, n) -> new OutboxRow(rs.getLong("id"), rs.getString("action"),
            rs.getString("reason"), rs.getString("patient_id"), rs.getString("observation_id"),
            (Long) rs.getObject("observation_version"), rs.getInt("attempts"),
            rs.getObject("created", OffsetDateTime.class).toInstant());

    private final JdbcTemplate jdbc;

    public IndexOutbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds a row due now. */
    public long enqueue(String action, String reason, String patientId, String observationId, Long observationVersion, Instant now) {
        return jdbc.queryForObject("""
                        insert into index_outbox (action, reason, patient_id, observation_id, observation_version, status,
                                                  next_attempt, created, updated)
                        values (?, ?, ?, ?, ?, 'PENDING', ?, ?, ?) returning id""",
                Long.class, action, reason, patientId, observationId, observationVersion, utc(now), utc(now), utc(now));
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

    /** Locks the oldest due row no other transaction holds. */
    public Optional<OutboxRow> claimNext(Instant now) {
        return jdbc.query("""
                select * from index_outbox where status = 'PENDING' and next_attempt <= ?
                order by next_attempt, id limit 1 for update skip locked""", ROW, utc(now)).stream().findFirst();
    }

    /** Finishes a row: DONE, CANCELLED or PARKED, with what happened. */
    public void finish(long id, String status, String outcome, int attempts, Instant now) {
        jdbc.update("update index_outbox set status = ?, outcome = ?, attempts = ?, updated = ? where id = ?",
                status, outcome, attempts, utc(now), id);
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
    public List<Map<String, Object>> list(String status, int limit) {
        return jdbc.queryForList("""
                select id, action, reason, patient_id, observation_id, observation_version, status, attempts, next_attempt,
                       outcome, created, updated
                from index_outbox where status = ? order by id desc limit ?""", status, limit);
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

    /** How many rows are in a status, for metrics. */
    public long count(String status) {
        Long count = jdbc.queryForObject("select count(*) from index_outbox where status = ?", Long.class, status);
        return count == null ? 0 : count;
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

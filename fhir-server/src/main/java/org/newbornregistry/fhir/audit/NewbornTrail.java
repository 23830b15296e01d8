package org.newbornregistry.fhir.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Resource;
import org.newbornregistry.adapter.audit.RestAuditEvents;
import org.newbornregistry.fhir.store.Custodian;
import org.newbornregistry.fhir.audit.store.AuditStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that happened to one newborn, oldest first: each version of each record about it
 * (the newborn, parents, birth encounter, specimens, orders, results, the genotype, consents) and
 * each audit event that names it or one of those records — HL7 messages with their ACK, FHIR
 * writes and reads with who asked, consent decisions, submissions to the national index and their
 * receipts, erasures, re-identifications and earlier looks at this trail.
 *
 * <p>An entry describes what happened from the record's type, codes and status only. No entry
 * carries a record's content, so no genotype value (and no name or birth date) can reach a reader.
 */
public class NewbornTrail {

    /**
     * Most entries one trail holds; of a newborn with more, the newest are kept and the trail says so. Why the
     * newest: an erasure or a re-identification must not drop out of sight because the record was read often.
     */
    public static final int MAX_ENTRIES = 5_000;

    private static final RowMapper<Node> NODE = (rs, n) -> new Node(rs.getLong("pid"), rs.getString("res_type"), rs.getString("res_id"));

    private final JdbcTemplate jdbc;
    private final FhirContext fhir;
    private final AuditTrail audit;
    private final AuditStore events;
    private final Clock clock;

    public NewbornTrail(JdbcTemplate jdbc, FhirContext fhir, AuditTrail audit, AuditStore events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.fhir = fhir;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * One thing that happened.
     *
     * @param kind      message, record, consent, index, erasure, access, reidentification, security
     * @param title     what happened, in a few words
     * @param detail    its specifics: ACK code, status, purposes, outcome text — never record content
     * @param outcome   success, or the failure it was
     * @param who       the user, client or sending application; the registry for its own steps
     * @param address   the network address the request came from, when known
     * @param why       the purpose of use or the investigation case, when stated
     * @param reference the record ({@code Type/id/_history/n}) or audit event ({@code AuditEvent/id}) it comes from
     */
    public record Entry(Instant at, String kind, String title, String detail, String outcome, String who, String address,
                        String why, String reference) {
    }

    /**
     * A newborn's trail.
     *
     * @param patient   the newborn's record id
     * @param custodian the organisation holding the record, when tagged
     * @param truncated whether more than {@link #MAX_ENTRIES} entries exist and the oldest were left out
     */
    public record Trail(String patient, String custodian, List<Entry> entries, boolean truncated) {

        /**
         * The trail as an investigator sees it: everything that happened to the newborn, but other people's
         * looks at it without their names, addresses, reasons or case references — one investigation is not
         * told about another, nor about an audit.
         */
        public Trail seenBy(String user) {
            return new Trail(patient, custodian, entries.stream().map(entry -> (entry.kind().equals("access")
                    || entry.kind().equals("reidentification")) && !Objects.equals(entry.who(), user)
                    ? new Entry(entry.at(), entry.kind(), entry.title(), null, entry.outcome(), "another user", null, null, null)
                    : entry).toList(), truncated);
        }
    }

    /**
     * The ids of the newborns carrying this identifier: one, usually; none; or several when only a
     * value was given and two organisations issued it.
     *
     * @param system the identifier's system, or null to match the value in any system
     */
    public List<String> patientsByIdentifier(String system, String value) {
        return jdbc.queryForList("""
                select distinct r.res_id from idx_token t join resource r on r.pid = t.res_pid
                where t.res_type = 'Patient' and t.param = 'identifier' and t.code = ?
                  and (?::text is null or t.system = ?) and not r.deleted
                order by r.res_id limit 10""", String.class, value, system, system);
    }

    /**
     * The trail as {@code reader} reads it. The read is recorded first, as an audit event naming the
     * newborn, so the trail shows this look too; nothing is recorded when there is no such newborn.
     *
     * @param how how the reader found the newborn: by identifier, by record id, through a re-identification
     */
    public Optional<Trail> readBy(RestAuditEvents.Client reader, String patientId, String how) {
        if (!exists(patientId)) {
            return Optional.empty();
        }
        audit.record(RestAuditEvents.newbornTrailRead(clock.instant(), reader, patientId, how));
        return of(patientId);
    }

    /** Whether a newborn record with this id exists (deleted or not: its trail still does). */
    private boolean exists(String patientId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from resource where res_type = 'Patient' and res_id = ?)", Boolean.class, patientId));
    }

    /**
     * The trail of the newborn with this record id, or empty when there is none, unrecorded (see
     * {@link #readBy}). Found step by step,
     * each step an index lookup with the previous step's keys: the records referring to the newborn,
     * those referring to them (a report to its specimen), the audit events naming any of them; then
     * the newest {@link #MAX_ENTRIES} versions of all these, and only their content is read. (Not one
     * recursive query: PostgreSQL cannot estimate a recursive CTE, and plans it as scans of whole tables.)
     */
    public Optional<Trail> of(String patientId) {
        List<Node> newborn = jdbc.query("select pid, res_type, res_id from resource where res_type = 'Patient' and res_id = ?",
                NODE, patientId);
        if (newborn.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, Node> records = new LinkedHashMap<>();
        newborn.forEach(node -> records.put(node.pid(), node));
        List<Node> frontier = newborn;
        for (int depth = 1; depth <= 2 && !frontier.isEmpty(); depth++) {
            // Why not other patients (the mother's own record, a merged duplicate): their accesses and the records
            // of a sibling that refer to them are not this newborn's.
            frontier = jdbc.query("""
                    select distinct r.pid, r.res_type, r.res_id from resource_link l join resource r on r.pid = l.res_pid
                    where (l.target_type, l.target_id) in (select * from unnest(?::text[], ?::text[]))
                      and r.res_type <> 'Patient'""",
                    NODE, types(frontier), ids(frontier)).stream().filter(node -> !records.containsKey(node.pid())).toList();
            frontier.forEach(node -> records.put(node.pid(), node));
        }
        List<Node> all = List.copyOf(records.values());
        List<Row> rows = new ArrayList<>(jdbc.query("""
                with newest as (
                    select res_pid, version, last_updated from resource_version where res_pid = any (?)
                    order by last_updated desc, res_pid desc, version desc limit ?
                )
                select r.res_type, r.res_id, o.version, o.last_updated, v.method, v.content
                from newest o join resource r on r.pid = o.res_pid
                join resource_version v on v.res_pid = o.res_pid and v.version = o.version""",
                (rs, n) -> new Row(rs.getString("res_type"), rs.getString("res_id"), rs.getLong("version"),
                        rs.getObject("last_updated", OffsetDateTime.class).toInstant(), rs.getString("method"), rs.getString("content"), null),
                records.keySet().toArray(Long[]::new), MAX_ENTRIES + 1));
        for (AuditStore.Stored stored : events.naming(all.stream().map(node -> node.type() + "/" + node.id()).toList(), false,
                MAX_ENTRIES + 1)) {
            rows.add(new Row("AuditEvent", stored.event().getIdPart(), 1, stored.recorded(), "POST", null, stored.event()));
        }
        rows.sort(Comparator.comparing(Row::at).reversed());
        if (rows.size() > MAX_ENTRIES + 1) {
            rows = new ArrayList<>(rows.subList(0, MAX_ENTRIES + 1));
        }
        java.util.Collections.reverse(rows);
        boolean truncated = rows.size() > MAX_ENTRIES;
        IParser parser = fhir.newJsonParser();
        List<Row> shown = truncated ? rows.subList(1, rows.size()) : rows;
        Map<Row, Resource> parsed = new LinkedHashMap<>();
        shown.forEach(row -> parsed.put(row, row.event() != null ? row.event()
                : row.content() == null ? null : (Resource) parser.parseResource(row.content())));
        Map<String, String> writers = TrailWording.writers(parsed.values());
        List<Entry> entries = new ArrayList<>();
        String custodian = null;
        for (Map.Entry<Row, Resource> item : parsed.entrySet()) {
            Row row = item.getKey();
            if (item.getValue() instanceof AuditEvent event) {
                entries.add(TrailWording.event(row, event));
            } else {
                entries.add(TrailWording.record(row, item.getValue(), writers));
                if (row.type().equals("Patient") && row.id().equals(patientId) && item.getValue() != null) {
                    custodian = Custodian.of(item.getValue()).orElse(custodian);
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::at));
        return Optional.of(new Trail(patientId, custodian, entries, truncated));
    }

    /** A record version, or an audit event ({@code event}, from the audit store). */
    record Row(String type, String id, long version, Instant at, String method, String content, AuditEvent event) {
    }

    /** A stored resource: its row key, type and id. */
    private record Node(long pid, String type, String id) {
    }

    private static String[] types(List<Node> nodes) {
        return nodes.stream().map(Node::type).toArray(String[]::new);
    }

    private static String[] ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toArray(String[]::new);
    }
}

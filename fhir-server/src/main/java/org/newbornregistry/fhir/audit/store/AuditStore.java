package org.newbornregistry.fhir.audit.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.r4.model.AuditEvent;
import org.newbornregistry.adapter.audit.merkle.EntrySigner;
import org.newbornregistry.adapter.audit.merkle.TreeHash;
import org.newbornregistry.fhir.database.GroupCommit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The audit log's own store: each AuditEvent is one row of {@code audit_event}, written once —
 * its FHIR JSON as recorded, the columns auditors search by ({@link AuditEventColumns}), its leaf
 * hash and the application's signature of that leaf ({@link EntrySigner}). The row is the Merkle
 * log's entry; {@code AuditLog} integrates it into the tree.
 *
 * <p>Writes join the caller's transaction when there is one (a step and its record commit together
 * or not at all); else they commit with whatever other events arrive at the same moment
 * ({@link GroupCommit}), and return once committed. The table refuses UPDATE, DELETE and TRUNCATE.
 */
public class AuditStore {

    private static final String COLUMNS = """
            event_id, recorded, type, subtypes, action, outcome, agents, agent_names, entities, patients, source, control_id,
            content, leaf_hash, signature""";
    private static final String INSERT = "insert into audit_event (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_AT = "insert into audit_event (" + COLUMNS + ", entry_id) "
            + "overriding system value values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final JdbcTemplate jdbc;
    private final FhirContext fhir;
    private final EntrySigner signer;
    private final Clock clock;
    private final GroupCommit<List<Entry>, Boolean> group;

    /**
     * @param transactions runs the group commits of events recorded outside a transaction
     */
    public AuditStore(JdbcTemplate jdbc, TransactionTemplate transactions, FhirContext fhir, EntrySigner signer, Clock clock) {
        this.jdbc = jdbc;
        this.fhir = fhir;
        this.signer = signer;
        this.clock = clock;
        // Why one writer: reads are answered from the database too, and one write at a time makes the largest groups.
        this.group = new GroupCommit<>(groups -> {
            transactions.executeWithoutResult(tx -> insert(groups.stream().flatMap(List::stream).toList()));
            return Collections.nCopies(groups.size(), Boolean.TRUE);
        }, 1, Integer.MAX_VALUE);
    }

    /**
     * An entry ready to insert: the event's id, columns, JSON, leaf and signature.
     *
     * @param entryId its place in the store's order, or null for the next
     */
    public record Entry(Long entryId, String id, AuditEventColumns columns, String content, byte[] leafHash, byte[] signature) {
    }

    /** Records one event; its id (assigned when it has none). */
    public String append(AuditEvent event) {
        return appendAll(List.of(event)).get(0);
    }

    /** Records events in one round trip, in order; their ids. */
    public List<String> appendAll(Collection<AuditEvent> events) {
        IParser parser = fhir.newJsonParser();
        Date now = Date.from(clock.instant());
        List<Entry> entries = new ArrayList<>(events.size());
        for (AuditEvent event : events) {
            if (!event.hasIdElement() || event.getIdElement().getIdPart() == null) {
                event.setId(UUID.randomUUID().toString());
            }
            event.getMeta().setVersionId("1").setLastUpdated(now);
            entries.add(entry(signer, null, event.getIdElement().getIdPart(), AuditEventColumns.of(event),
                    parser.encodeResourceToString(event)));
        }
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            insert(entries);
        } else {
            // Why: the events of concurrent reads and refusals, each to be on record before its answer, share a commit.
            group.submit(entries);
        }
        return entries.stream().map(Entry::id).toList();
    }

    /** The entry of an event as stored: its leaf hashes its content, and the application signs the leaf. */
    public static Entry entry(EntrySigner signer, Long entryId, String id, AuditEventColumns columns, String content) {
        byte[] leaf = TreeHash.leaf(content.getBytes(StandardCharsets.UTF_8));
        return new Entry(entryId, id, columns, content, leaf, signer.sign(leaf));
    }

    /** Inserts prepared entries in one round trip. */
    public void insert(List<Entry> entries) {
        jdbc.execute((Connection connection) -> {
            insert(connection, entries);
            return null;
        });
    }

    /**
     * Inserts prepared entries on this connection in one round trip, each at its {@code entryId} when it has one
     * (the migration keeps the entry ids the old log's leaves point at).
     */
    public static void insert(Connection connection, List<Entry> entries) throws SQLException {
        boolean placed = !entries.isEmpty() && entries.get(0).entryId() != null;
        try (PreparedStatement insert = connection.prepareStatement(placed ? INSERT_AT : INSERT)) {
            for (Entry entry : entries) {
                bind(connection, insert, entry);
                if (placed) {
                    insert.setLong(16, entry.entryId());
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void bind(Connection connection, PreparedStatement insert, Entry entry) throws SQLException {
        AuditEventColumns c = entry.columns();
        insert.setString(1, entry.id());
        insert.setObject(2, c.recorded().atOffset(ZoneOffset.UTC));
        insert.setString(3, c.type());
        insert.setArray(4, connection.createArrayOf("text", c.subtypes().toArray()));
        insert.setString(5, c.action());
        insert.setString(6, c.outcome());
        insert.setArray(7, connection.createArrayOf("text", c.agents().toArray()));
        insert.setArray(8, connection.createArrayOf("text", c.agentNames().toArray()));
        insert.setArray(9, connection.createArrayOf("text", c.entities().toArray()));
        insert.setArray(10, connection.createArrayOf("text", c.patients().toArray()));
        insert.setString(11, c.source());
        insert.setString(12, c.controlId());
        insert.setString(13, entry.content());
        insert.setBytes(14, entry.leafHash());
        insert.setBytes(15, entry.signature());
    }

    /** The event with this id. */
    public Optional<AuditEvent> read(String id) {
        return jdbc.queryForList("select content from audit_event where event_id = ?", String.class, id).stream()
                .findFirst().map(this::parse);
    }

    /** An event as stored, with its position in the store's order. */
    public record Stored(long entryId, Instant recorded, AuditEvent event) {
    }

    /**
     * The newest events naming any of these references ({@code Type/id}) as an entity or patient,
     * newest first, at most {@code limit}.
     *
     * @param changesOnly only events of writes (action not R): a read names the version it read, the writer the one
     *                    it wrote
     */
    public List<Stored> naming(Collection<String> references, boolean changesOnly, int limit) {
        if (references.isEmpty()) {
            return List.of();
        }
        String[] refs = references.toArray(String[]::new);
        return jdbc.query("""
                select entry_id, recorded, content from audit_event
                where (entities && ?::text[] or patients && ?::text[]) and (not ? or action is distinct from 'R')
                order by recorded desc, entry_id desc limit ?""", (rs, n) -> new Stored(rs.getLong("entry_id"),
                rs.getObject("recorded", OffsetDateTime.class).toInstant(), parse(rs.getString("content"))),
                refs, refs, changesOnly, limit);
    }

    /** Every event recorded in {@code [from, to)}, oldest first, as stored JSON: the export. */
    public void contents(Instant from, Instant to, Consumer<String> each) {
        jdbc.query("select content from audit_event where recorded >= ? and recorded < ? order by recorded, entry_id",
                (RowCallbackHandler) rs -> each.accept(rs.getString(1)),
                Timestamp.from(from), Timestamp.from(to));
    }

    /** A page of a search: the events and the position after the last, when there may be more. */
    public record Page(List<Stored> events, AuditEventQuery.Position next) {
    }

    /** The events a query finds, after {@code after} (null for the first page), at most {@code count}. */
    public Page search(AuditEventQuery query, AuditEventQuery.Position after, int count) {
        AuditEventQuery.Sql sql = query.sql(after, count + 1);
        List<Stored> found = jdbc.query(sql.text(), (rs, n) -> new Stored(rs.getLong("entry_id"),
                rs.getObject("recorded", OffsetDateTime.class).toInstant(), parse(rs.getString("content"))), sql.arguments());
        if (found.size() <= count) {
            return new Page(found, null);
        }
        List<Stored> page = found.subList(0, count);
        Stored last = page.get(page.size() - 1);
        return new Page(List.copyOf(page), new AuditEventQuery.Position(last.recorded(), last.entryId()));
    }

    private AuditEvent parse(String content) {
        return fhir.newJsonParser().parseResource(AuditEvent.class, content);
    }
}

package org.newbornregistry.fhir.audit.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.flywaydb.core.api.migration.Context;
import org.hl7.fhir.r4.model.AuditEvent;
import org.newbornregistry.adapter.audit.merkle.EntrySigner;
import org.newbornregistry.fhir.database.BeanJavaMigration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * V14: moves the AuditEvents a database holds from the generic resource store into the audit
 * store, and retires the old log entry table. Each event keeps its JSON byte for byte — so its
 * leaf hash, the tree and every signed checkpoint stay valid and verification passes before and
 * after — and its entry id, which the tree's leaves point at. Events get their search columns from
 * the same extractor as new ones, and the application's signature (the key is the application's,
 * which is why this migration is Java: the database never sees it).
 *
 * <p>Then the AuditEvents' resource, version and search index rows are deleted: the audit store is
 * where they live now. Runs in Flyway's transaction: all of it or nothing.
 */
public class AuditStoreMigration extends BeanJavaMigration {

    private static final int BATCH = 1_000;

    private final FhirContext fhir;
    private final EntrySigner signer;

    public AuditStoreMigration(FhirContext fhir, EntrySigner signer) {
        super("14", "audit events into the audit store");
        this.fhir = fhir;
        this.signer = signer;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        IParser parser = fhir.newJsonParser();
        long after = Long.MIN_VALUE;
        // Why entries first by their id, then AuditEvents without an entry (stored before the log existed) after them.
        while (true) {
            List<AuditStore.Entry> entries = new ArrayList<>(BATCH);
            try (PreparedStatement select = connection.prepareStatement("""
                    select coalesce(e.entry_id, 1000000000000 + v.res_pid) as position, e.entry_id, r.res_id, v.content
                    from resource_version v join resource r on r.pid = v.res_pid
                    left join audit_entry e on e.res_pid = v.res_pid and e.version = v.version
                    where v.res_type = 'AuditEvent' and v.content is not null
                      and coalesce(e.entry_id, 1000000000000 + v.res_pid) > ?
                    order by position limit ?""")) {
                select.setLong(1, after);
                select.setInt(2, BATCH);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        after = rows.getLong("position");
                        long entryId = rows.getLong("entry_id");
                        Long placed = rows.wasNull() ? null : entryId;
                        String content = rows.getString("content");
                        AuditEvent event = parser.parseResource(AuditEvent.class, content);
                        entries.add(AuditStore.entry(signer, placed, rows.getString("res_id"), AuditEventColumns.of(event), content));
                    }
                }
            }
            if (entries.isEmpty()) {
                break;
            }
            List<AuditStore.Entry> placed = entries.stream().filter(e -> e.entryId() != null).toList();
            List<AuditStore.Entry> appended = entries.stream().filter(e -> e.entryId() == null).toList();
            if (!placed.isEmpty()) {
                AuditStore.insert(connection, placed);
            }
            if (!appended.isEmpty()) {
                advanceIdentity(connection);
                AuditStore.insert(connection, appended);
            }
        }
        advanceIdentity(connection);
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("alter table audit_leaf drop constraint audit_leaf_entry_id_fkey");
            ddl.execute("alter table audit_leaf add constraint audit_leaf_entry_id_fkey foreign key (entry_id) references audit_event (entry_id)");
            ddl.execute("drop trigger audit_event_entries on resource_version");
            ddl.execute("drop function append_audit_entry()");
            ddl.execute("drop table audit_entry");
            ddl.execute("drop trigger audit_event_versions_append_only on resource_version");
            ddl.execute("drop trigger audit_event_resources_append_only on resource");
            for (String table : List.of("idx_token", "idx_string", "idx_date", "idx_reference", "idx_uri", "business_identifier")) {
                ddl.execute("delete from " + table + " where res_type = 'AuditEvent'");
            }
            ddl.execute("delete from resource_link where res_pid in (select pid from resource where res_type = 'AuditEvent')");
            ddl.execute("delete from resource_version where res_type = 'AuditEvent'");
            ddl.execute("delete from resource where res_type = 'AuditEvent'");
        }
    }

    /** Moves the identity past the highest entry id, so new entries follow the moved ones. */
    private static void advanceIdentity(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("""
                    select setval(pg_get_serial_sequence('audit_event', 'entry_id'),
                                  greatest((select max(entry_id) from audit_event), 1),
                                  (select max(entry_id) from audit_event) is not null)""");
        }
    }
}

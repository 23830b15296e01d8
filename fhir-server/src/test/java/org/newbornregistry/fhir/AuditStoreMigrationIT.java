package org.newbornregistry.fhir;

import ca.uhn.fhir.context.FhirContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.audit.RestAuditEvents;
import org.newbornregistry.adapter.audit.merkle.Checkpoint;
import org.newbornregistry.adapter.audit.merkle.CompactRange;
import org.newbornregistry.adapter.audit.merkle.TreeHash;
import org.newbornregistry.fhir.audit.AuditConfiguration;
import org.newbornregistry.fhir.audit.AuditLog;
import org.newbornregistry.fhir.audit.AuditProperties;
import org.newbornregistry.fhir.audit.store.AuditStore;
import org.newbornregistry.fhir.audit.store.AuditStoreMigration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database from before the audit store — AuditEvents stored as registry resources, their log
 * entries made by trigger, integrated and signed — migrates: every event moves with its JSON byte
 * for byte, verification against the checkpoint signed before the migration passes before and
 * after it, the old rows are gone, and the log goes on growing. On a database of its own on the
 * embedded server, so that the shared one is not at an old version.
 */
class AuditStoreMigrationIT extends RegistryIntegrationSupport {

    @Autowired
    EmbeddedPostgres postgres;

    @Autowired
    AuditConfiguration.AuditKeys keys;

    @Autowired
    AuditProperties properties;

    @Test
    void shouldMoveTheAuditEventsOfAnExistingDatabaseSoThatItsSignedCheckpointStillVerifies() {
        // given: a database at V12 holding AuditEvents as resources, integrated and signed the way V7/V8 did
        String name = "migration_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.execute("create database " + name);
        DataSource database = postgres.getDatabase("postgres", name);
        JdbcTemplate old = new JdbcTemplate(database);
        Flyway.configure().dataSource(database).locations("classpath:db/migration").target("12").load().migrate();
        FhirContext fhir = FhirContext.forR4Cached();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            AuditEvent event = RestAuditEvents.interaction(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), i % 2 == 0 ? "read" : "create",
                    200, new RestAuditEvents.Client("nurse-" + i, "10.0.0." + i, "org-a", "ehr"), Set.of("Patient/p" + i + "/_history/1"),
                    Set.of("p" + i), null);
            String id = UUID.randomUUID().toString();
            event.setId(id);
            event.getMeta().setVersionId("1").setLastUpdated(Date.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)));
            Long pid = old.queryForObject("""
                    insert into resource (res_type, res_id, version, last_updated) values ('AuditEvent', ?, 1, ?) returning pid""",
                    Long.class, id, OffsetDateTime.now(ZoneOffset.UTC));
            old.update("""
                    insert into resource_version (res_pid, version, res_type, last_updated, method, content)
                    values (?, 1, 'AuditEvent', ?, 'POST', ?)""", pid, OffsetDateTime.now(ZoneOffset.UTC),
                    fhir.newJsonParser().encodeResourceToString(event));
            old.update("insert into idx_token (res_pid, res_type, param, system, code) values (?, 'AuditEvent', 'action', null, 'R')", pid);
            ids.add(id);
        }
        Checkpoint signed = integrateAsBefore(old);
        assertThat(verifyAsBefore(old, signed)).as("verification before the migration").isTrue();

        // when
        Flyway.configure().dataSource(database).locations("classpath:db/migration")
                .javaMigrations(new AuditStoreMigration(fhir, keys.entries())).load().migrate();
        AuditLog migrated = new AuditLog(old, new TransactionTemplate(new DataSourceTransactionManager(database)), keys.checkpoints(),
                keys.entries().publicKey(), null, properties.origin(), Clock.systemUTC());
        AuditLog.Verification after = migrated.verify(signed.sign(keys.checkpoints()));

        // then
        assertThat(after.verified()).as(after.reason()).isTrue();
        assertThat(after.checkpointSize()).isEqualTo(7);
        assertThat(old.queryForList("select event_id from audit_event order by entry_id", String.class)).containsExactlyElementsOf(ids);
        assertThat(old.queryForObject("select count(*) from resource where res_type = 'AuditEvent'", Long.class)).isZero();
        assertThat(old.queryForObject("select count(*) from idx_token where res_type = 'AuditEvent'", Long.class)).isZero();
        assertThat(old.queryForList("select patients[1] from audit_event order by entry_id", String.class))
                .containsExactly("Patient/p0", "Patient/p1", "Patient/p2", "Patient/p3", "Patient/p4", "Patient/p5", "Patient/p6");

        // and the log goes on: a new event after the moved ones, integrated and verified
        new AuditStore(old, new TransactionTemplate(new DataSourceTransactionManager(database)), fhir, keys.entries(), Clock.systemUTC())
                .append(RestAuditEvents.interaction(Instant.now(), "read", 200,
                new RestAuditEvents.Client("auditor", null), Set.of(), Set.of(), null));
        AuditLog.SignedCheckpoint next = migrated.integrate().orElseThrow();
        assertThat(next.size()).isEqualTo(8);
        assertThat(migrated.verify(signed.sign(keys.checkpoints())).verified()).isTrue();
        jdbc.execute("drop database " + name + " with (force)");
    }

    /** What AuditLog.integrate did before the audit store: the entries in entry order as leaves, and a signed checkpoint. */
    private Checkpoint integrateAsBefore(JdbcTemplate old) {
        CompactRange range = new CompactRange();
        for (var entry : old.queryForList("select entry_id, leaf_hash from audit_entry order by entry_id")) {
            range.append((byte[]) entry.get("leaf_hash"));
            old.update("insert into audit_leaf (leaf_index, entry_id, integrated, root_after) values (?, ?, now(), ?)",
                    range.size() - 1, entry.get("entry_id"), range.rootHash());
        }
        Checkpoint checkpoint = Checkpoint.of(properties.origin(), range.size(), range.rootHash());
        old.update("insert into audit_checkpoint (tree_size, root_hash, note, created) values (?, ?, ?, now())", range.size(),
                range.rootHash(), checkpoint.sign(keys.checkpoints()));
        return checkpoint;
    }

    /** What AuditLog.verify did before: each leaf recomputed from the AuditEvent's stored version, the root against the checkpoint. */
    private static boolean verifyAsBefore(JdbcTemplate old, Checkpoint checkpoint) {
        CompactRange range = new CompactRange();
        for (String content : old.queryForList("""
                select v.content from audit_leaf l join audit_entry e on e.entry_id = l.entry_id
                join resource_version v on v.res_pid = e.res_pid and v.version = e.version order by l.leaf_index""", String.class)) {
            range.append(TreeHash.leaf(content.getBytes(StandardCharsets.UTF_8)));
        }
        return range.size() == checkpoint.size() && Arrays.equals(range.rootHash(), checkpoint.rootHash());
    }
}

package org.newbornregistry.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.audit.merkle.Checkpoint;
import org.newbornregistry.adapter.audit.merkle.ConsistencyProof;
import org.newbornregistry.adapter.audit.merkle.InclusionProof;
import org.newbornregistry.adapter.audit.merkle.NoteVerifier;
import org.newbornregistry.adapter.audit.merkle.VerifierKey;
import org.newbornregistry.fhir.audit.AuditConfiguration;
import org.newbornregistry.fhir.audit.AuditLog;
import org.newbornregistry.fhir.audit.AuditProperties;
import org.newbornregistry.fhir.audit.CheckpointFile;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log as a Merkle tree: checkpoints an outsider can verify with the published key,
 * inclusion and consistency proofs that check, and verification that names the first leaf an
 * edit, a deletion, an insertion or a reordering made with plain SQL touched. Then what a
 * database superuser tried against it: a row inserted with SQL, the newest checkpoint and entry
 * deleted, the checkpoints truncated and a leaf rewritten — each caught, by the entries'
 * signatures or by a checkpoint kept outside the database. Each tampering runs in a transaction
 * that is rolled back, so the shared database stays intact.
 */
class TamperEvidentAuditLogIT extends RegistryIntegrationSupport {

    @Autowired
    AuditLog log;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    AuditConfiguration.AuditKeys keys;

    @Autowired
    AuditProperties properties;

    private final HttpClient http = TestTokens.http();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void someAuditedAccess() {
        for (int i = 0; i < 5; i++) {
            String id = client.create().resource(Fixtures.newborn(uniqueSystem(), "MRN-LOG-" + i)).execute().getId().getIdPart();
            client.read().resource(Patient.class).withId(id).execute();
        }
    }

    @Test
    void shouldPublishACheckpointThatVerifiesWithThePublishedKeyAndProofsThatCheck() throws Exception {
        // given
        Checkpoint first = open(post("/audit/log/checkpoint").body());
        client.create().resource(Fixtures.newborn(uniqueSystem(), "MRN-LOG-LATER")).execute();

        // when
        Checkpoint second = open(post("/audit/log/checkpoint").body());
        String auditEvent = jdbc.queryForObject("""
                select e.event_id from audit_leaf l join audit_event e on e.entry_id = l.entry_id
                where l.leaf_index = ?""", String.class, first.size() - 1);
        JsonNode inclusion = json.readTree(get("/audit/log/proof/inclusion?auditEvent=" + auditEvent + "&treeSize=" + second.size()).body());
        JsonNode consistency = json.readTree(get("/audit/log/proof/consistency?first=" + first.size() + "&second=" + second.size()).body());

        // then
        assertThat(second.size()).isGreaterThan(first.size());
        InclusionProof.verify(inclusion.path("leafIndex").asLong(), second.size(), bytes(inclusion.path("leafHash").asText()),
                hashes(inclusion.path("proof")), second.rootHash());
        ConsistencyProof.verify(first.size(), second.size(), first.rootHash(), second.rootHash(), hashes(consistency.path("proof")));
        assertThat(json.readTree(post("/audit/log/verify").body()).path("verified").asBoolean()).isTrue();
        assertThat(open(log.checkpointFile().latest().orElseThrow())).as("the checkpoint left the database as it was signed")
                .isEqualTo(second);
    }

    @Test
    void shouldNameTheEditedEntryWhenAnAuditEventIsChangedWithSql() {
        AuditLog.Verification found = tampered(sql -> sql.update("""
                update audit_event set content = replace(content, '"outcome":"', '"outcome":" ')
                where entry_id = (select entry_id from audit_leaf where leaf_index = 3)"""));
        assertThat(found.verified()).isFalse();
        assertThat(found.leafIndex()).isEqualTo(3);
        assertThat(found.reason()).contains("changed");
    }

    @Test
    void shouldNameTheLeafWhenALeafIsDeletedWithSql() {
        AuditLog.Verification found = tampered(sql -> sql.update("delete from audit_leaf where leaf_index = 2"));
        assertThat(found.verified()).isFalse();
        assertThat(found.leafIndex()).isEqualTo(2);
    }

    @Test
    void shouldNameTheLeafWhenAnEntryIsInsertedInPlaceOfAnotherWithSql() {
        // an AuditEvent written after the checkpoint, slipped into the tree in place of leaf 1
        AuditLog.Verification found = tampered(() -> client.create().resource(Fixtures.newborn(uniqueSystem(), "MRN-LOG-FORGED")).execute(),
                sql -> {
            long forged = sql.queryForObject("""
                    select e.entry_id from audit_event e where not exists (select 1 from audit_leaf l where l.entry_id = e.entry_id)
                    order by e.entry_id limit 1""", Long.class);
            sql.update("""
                    update audit_leaf set entry_id = ? where leaf_index = 1""", forged);
        });
        assertThat(found.verified()).isFalse();
        assertThat(found.leafIndex()).isEqualTo(1);
    }

    @Test
    void shouldNameTheFirstLeafWhenTwoLeavesAreReorderedWithSql() {
        AuditLog.Verification found = tampered(sql -> {
            List<Map<String, Object>> leaves = sql.queryForList("select leaf_index, entry_id from audit_leaf where leaf_index in (1, 2)");
            sql.update("update audit_leaf set entry_id = -entry_id where leaf_index in (1, 2)");
            for (Map<String, Object> leaf : leaves) {
                sql.update("update audit_leaf set entry_id = ? where leaf_index = ?", leaf.get("entry_id"),
                        ((Number) leaf.get("leaf_index")).longValue() == 1 ? 2 : 1);
            }
        });
        assertThat(found.verified()).isFalse();
        assertThat(found.leafIndex()).isEqualTo(1);
    }

    // --- what a database superuser tried (issue 18 §2), each caught

    @Test
    void shouldNeitherIntegrateNorVerifyAnAuditEventInsertedWithSqlEvenWithItsLeafHashAndAnotherEntrysSignature() {
        // given
        instance(file()).integrate();

        // when
        AuditLog.Verification[] found = new AuditLog.Verification[1];
        long[] integrated = new long[1];
        asSuperuser(sql -> {
            sql.update("""
                    insert into audit_event (event_id, recorded, type, subtypes, action, outcome, agents, agent_names, entities,
                                             patients, source, control_id, content, leaf_hash, signature)
                    select 'forged-by-sql', now(), type, subtypes, action, outcome, agents, agent_names, entities, patients, source,
                           control_id, replace(content, id_json, '"id":"forged-by-sql"'),
                           sha256('\\x00'::bytea || convert_to(replace(content, id_json, '"id":"forged-by-sql"'), 'UTF8')), signature
                    from (select *, '"id":"' || event_id || '"' as id_json from audit_event order by entry_id desc limit 1) newest""");
            instance(file()).integrate();
            integrated[0] = sql.queryForObject("""
                    select count(*) from audit_leaf l join audit_event e on e.entry_id = l.entry_id
                    where e.event_id = 'forged-by-sql'""", Long.class);
            found[0] = log.verify();
        });

        // then
        assertThat(integrated[0]).as("the forged entry is not in the tree").isZero();
        assertThat(found[0].verified()).isFalse();
        assertThat(found[0].auditEvent()).isEqualTo("forged-by-sql");
        assertThat(found[0].reason()).contains("not written by the registry");
    }

    @Test
    void shouldCatchTheNewestCheckpointAndEntryDeletedWithSqlAgainstTheCheckpointKeptOutsideTheDatabase() throws Exception {
        // given: a checkpoint signed and written to its file
        java.nio.file.Path file = file();
        AuditLog signer = instance(file);

        // when
        AuditLog.Verification[] found = new AuditLog.Verification[3];
        String[] refusal = new String[1];
        asSuperuser(sql -> {
            AuditLog.SignedCheckpoint newest = signer.integrate().orElseThrow();
            sql.update("delete from audit_checkpoint where tree_size = ?", newest.size());
            long entry = sql.queryForObject("select entry_id from audit_leaf where leaf_index = ?", Long.class, newest.size() - 1);
            sql.update("delete from audit_leaf where leaf_index = ?", newest.size() - 1);
            sql.update("delete from audit_event where entry_id = ?", entry);
            found[0] = instance(null).verify();
            found[1] = instance(file).verify();
            found[2] = log.verify(newest.note());
            try {
                instance(file).integrate();
            } catch (AuditLog.IntegrityException e) {
                refusal[0] = e.getMessage();
            }
        });

        // then
        assertThat(found[0].verified()).as("without a checkpoint outside the database, the deletion does not show").isTrue();
        assertThat(found[1].verified()).isFalse();
        assertThat(found[1].reason()).contains("truncated");
        assertThat(found[2].verified()).isFalse();
        assertThat(found[2].reason()).contains("truncated").contains("auditor");
        assertThat(refusal[0]).as("no checkpoint is signed over the shortened log").contains("truncated");
    }

    @Test
    void shouldRefuseToSignOverALogRewrittenAfterItsCheckpointsWereTruncatedAndNameTheLeaf() throws Exception {
        // given
        java.nio.file.Path file = file();
        AuditLog running = instance(file);
        running.integrate();

        // when: the checkpoints truncated (triggers off), leaf 2's event rewritten with its leaf hash recomputed
        AuditLog.Verification[] found = new AuditLog.Verification[2];
        String[] refusal = new String[1];
        asSuperuser(sql -> {
            sql.execute("truncate audit_checkpoint cascade");
            sql.update("""
                    update audit_event set content = replace(content, '"outcome":"', '"outcome":" '),
                           leaf_hash = sha256('\\x00'::bytea || convert_to(replace(content, '"outcome":"', '"outcome":" '), 'UTF8'))
                    where entry_id = (select entry_id from audit_leaf where leaf_index = 2)""");
            try {
                instance(file).integrate();
            } catch (AuditLog.IntegrityException e) {
                refusal[0] = e.getMessage();
            }
            running.integrate();
            found[0] = instance(file).verify();
            found[1] = instance(null).verify();
        });

        // then
        assertThat(refusal[0]).as("an instance starting on the rewritten log signs nothing").contains("do not match the checkpoint");
        assertThat(found[0].verified()).isFalse();
        assertThat(found[0].leafIndex()).isEqualTo(2);
        assertThat(found[1].verified()).as("the running instance signed its own tree, not the rewritten one").isFalse();
        assertThat(found[1].leafIndex()).isEqualTo(2);
    }

    @Test
    void shouldVerifyAgainstACheckpointTheAuditorHoldsAndRefuseOneTheLogDidNotSign() throws Exception {
        // given
        String held = post("/audit/log/checkpoint").body();
        java.security.KeyPair stranger = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Checkpoint checkpoint = open(held);
        String forged = Checkpoint.of(checkpoint.origin(), checkpoint.size(), new byte[32]).sign(
                new org.newbornregistry.adapter.audit.merkle.NoteSigner(checkpoint.origin(), stranger.getPrivate(), stranger.getPublic()));

        // when
        JsonNode verified = json.readTree(post("/audit/log/verify", held).body());
        JsonNode refused = json.readTree(post("/audit/log/verify", forged).body());

        // then
        assertThat(verified.path("verified").asBoolean()).isTrue();
        assertThat(verified.path("checkpointSize").asLong()).isGreaterThanOrEqualTo(checkpoint.size());
        assertThat(refused.path("verified").asBoolean()).isFalse();
        assertThat(refused.path("reason").asText()).contains("auditor's checkpoint").contains("does not verify");
    }

    /** An audit log instance of its own (its own tree in memory) on the shared database, with this checkpoint file or none. */
    private AuditLog instance(java.nio.file.Path file) {
        return new AuditLog(jdbc, new TransactionTemplate(transactions), keys.checkpoints(), keys.entries().publicKey(),
                file == null ? null : new CheckpointFile(file), properties.origin(), java.time.Clock.systemUTC());
    }

    private java.nio.file.Path file() {
        return java.nio.file.Path.of("target", "audit-checkpoints", "attack-" + java.util.UUID.randomUUID() + ".log");
    }

    /** Runs SQL as a superuser with the triggers off, and rolls it all back. */
    private void asSuperuser(Consumer<org.springframework.jdbc.core.JdbcTemplate> attack) {
        new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            jdbc.execute("set local session_replication_role = replica");
            attack.accept(jdbc);
            tx.setRollbackOnly();
        });
        assertThat(log.verify().verified()).as("the log after the rollback").isTrue();
    }

    /** Integrates the log, tampers with it as a superuser with triggers off, verifies, and rolls everything back. */
    private AuditLog.Verification tampered(Consumer<org.springframework.jdbc.core.JdbcTemplate> tampering) {
        return tampered(() -> { }, tampering);
    }

    private AuditLog.Verification tampered(Runnable afterCheckpoint, Consumer<org.springframework.jdbc.core.JdbcTemplate> tampering) {
        log.integrate();
        assertThat(log.verify().verified()).as("the log before tampering").isTrue();
        afterCheckpoint.run();
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        AuditLog.Verification[] found = new AuditLog.Verification[1];
        transaction.executeWithoutResult(tx -> {
            jdbc.execute("set local session_replication_role = replica");
            jdbc.execute("alter table audit_leaf drop constraint if exists audit_leaf_entry_id_fkey");
            tampering.accept(jdbc);
            found[0] = log.verify();
            tx.setRollbackOnly();
        });
        assertThat(log.verify().verified()).as("the log after the rollback").isTrue();
        return found[0];
    }

    private Checkpoint open(String note) throws Exception {
        VerifierKey key = VerifierKey.parse(get("/audit/log/key").body().strip());
        return Checkpoint.open(note, key.name(), new NoteVerifier(key));
    }

    private static byte[] bytes(String base64) {
        return Base64.getDecoder().decode(base64);
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> hashes = new ArrayList<>();
        array.forEach(node -> hashes.add(bytes(node.asText())));
        return hashes;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String text) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

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
import org.newbornregistry.fhir.audit.AuditLog;
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
 * edit, a deletion, an insertion or a reordering made with plain SQL touched. Each tampering runs
 * in a transaction that is rolled back, so the shared database stays intact.
 */
class TamperEvidentAuditLogIT extends RegistryIntegrationTest {

    @Autowired
    AuditLog log;

    @Autowired
    PlatformTransactionManager transactions;

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
                select r.res_id from audit_leaf l join audit_entry e on e.entry_id = l.entry_id join resource r on r.pid = e.res_pid
                where l.leaf_index = ?""", String.class, first.size() - 1);
        JsonNode inclusion = json.readTree(get("/audit/log/proof/inclusion?auditEvent=" + auditEvent + "&treeSize=" + second.size()).body());
        JsonNode consistency = json.readTree(get("/audit/log/proof/consistency?first=" + first.size() + "&second=" + second.size()).body());

        // then
        assertThat(second.size()).isGreaterThan(first.size());
        InclusionProof.verify(inclusion.path("leafIndex").asLong(), second.size(), bytes(inclusion.path("leafHash").asText()),
                hashes(inclusion.path("proof")), second.rootHash());
        ConsistencyProof.verify(first.size(), second.size(), first.rootHash(), second.rootHash(), hashes(consistency.path("proof")));
        assertThat(json.readTree(post("/audit/log/verify").body()).path("verified").asBoolean()).isTrue();
    }

    @Test
    void shouldNameTheEditedEntryWhenAnAuditEventIsChangedWithSql() {
        AuditLog.Verification found = tampered(sql -> sql.update("""
                update resource_version set content = replace(content, '"outcome":"', '"outcome":" ')
                where (res_pid, version) = (select e.res_pid, e.version from audit_leaf l join audit_entry e on e.entry_id = l.entry_id
                                            where l.leaf_index = 3)"""));
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
                    select e.entry_id from audit_entry e where not exists (select 1 from audit_leaf l where l.entry_id = e.entry_id)
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
}

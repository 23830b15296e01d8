package org.newbornregistry.fhir;

import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.audit.merkle.Checkpoint;
import org.newbornregistry.adapter.audit.merkle.Cosignature;
import org.newbornregistry.adapter.audit.merkle.NoteVerifier;
import org.newbornregistry.adapter.audit.merkle.VerifierKey;
import org.newbornregistry.fhir.audit.AuditConfiguration;
import org.newbornregistry.fhir.audit.AuditLog;
import org.newbornregistry.fhir.audit.AuditProperties;
import org.newbornregistry.fhir.audit.witness.CheckpointWitnesses;
import org.newbornregistry.fhir.audit.witness.ReferenceWitness;
import org.newbornregistry.fhir.audit.witness.WitnessClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log's checkpoints leave the database through witnesses (c2sp.org/tlog-witness): each
 * new checkpoint is cosigned by the reference witness over real HTTP, with a consistency proof
 * from the size it cosigned before; and a log re-signed over a rewritten history — what a database
 * superuser can get signed when an instance trusts nothing outside the database — is refused.
 */
class AuditWitnessIT extends RegistryIntegrationSupport {

    @Autowired
    AuditLog log;

    @Autowired
    AuditConfiguration.AuditKeys keys;

    @Autowired
    AuditProperties properties;

    @Autowired
    PlatformTransactionManager transactions;

    private ReferenceWitness witness;

    @BeforeEach
    void witness() throws Exception {
        witness = ReferenceWitness.inMemory("witness.test/one", Map.of(properties.origin(), VerifierKey.parse(log.verifierKey())))
                .start();
    }

    @AfterEach
    void close() {
        witness.close();
    }

    @Test
    void shouldHaveEachNewCheckpointCosignedWithAProofFromTheSizeTheWitnessSawBefore() throws Exception {
        // given
        CheckpointWitnesses witnesses = witnesses(log);
        audited(3);
        AuditLog.SignedCheckpoint first = log.integrate().orElseThrow();
        List<CheckpointWitnesses.Outcome> firstOutcome = witnesses.publishIfNew(first);
        audited(2);

        // when
        AuditLog.SignedCheckpoint second = log.integrate().orElseThrow();
        List<CheckpointWitnesses.Outcome> secondOutcome = witnesses.publishIfNew(second);

        // then
        assertThat(firstOutcome).singleElement().extracting(CheckpointWitnesses.Outcome::result).isInstanceOf(WitnessClient.Cosigned.class);
        assertThat(secondOutcome).singleElement().extracting(CheckpointWitnesses.Outcome::result).isInstanceOf(WitnessClient.Cosigned.class);
        assertThat(witnesses.publishIfNew(second)).as("a checkpoint is handed on once").isEmpty();
        assertThat(witness.accepted()).isEqualTo(2);
        assertThat(witness.size(properties.origin())).isEqualTo(second.size());
        String cosignature = witnesses.cosignatures(second.size()).get("witness.test/one");
        Checkpoint checkpoint = Checkpoint.open(second.note(), properties.origin(), new NoteVerifier(VerifierKey.parse(log.verifierKey())));
        assertThat(Cosignature.verify(cosignature, witness.key(), checkpoint)).isPositive();
    }

    @Test
    void shouldHaveTheWitnessRefuseALogReSignedOverARewrittenHistory() throws Exception {
        // given: the witness has cosigned the log as it is
        audited(3);
        AuditLog.SignedCheckpoint honest = log.integrate().orElseThrow();
        witnesses(log).publishIfNew(honest);
        audited(2);

        // when: checkpoints truncated, leaf 1 rewritten with its hash recomputed, and an instance trusting only the
        // database signs a checkpoint over that
        WitnessClient.Result[] result = new WitnessClient.Result[1];
        new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            jdbc.execute("set local session_replication_role = replica");
            jdbc.execute("truncate audit_checkpoint cascade");
            jdbc.update("""
                    update audit_event set content = replace(content, '"outcome":"', '"outcome":" '),
                           leaf_hash = sha256('\\\\x00'::bytea || convert_to(replace(content, '"outcome":"', '"outcome":" '), 'UTF8'))
                    where entry_id = (select entry_id from audit_leaf where leaf_index = 1)""");
            AuditLog gullible = new AuditLog(jdbc, new TransactionTemplate(transactions), keys.checkpoints(),
                    keys.entries().publicKey(), null, properties.origin(), Clock.systemUTC());
            AuditLog.SignedCheckpoint forged = gullible.integrate().orElseThrow();
            CheckpointWitnesses witnesses = witnesses(gullible);
            result[0] = witnesses.publish(forged).get(0).result();
            tx.setRollbackOnly();
        });

        // then
        assertThat(result[0]).isInstanceOfSatisfying(WitnessClient.Refused.class, refused -> assertThat(refused.status()).isIn(409, 422));
        assertThat(witness.size(properties.origin())).as("the witness still holds the honest checkpoint").isEqualTo(honest.size());
    }

    private CheckpointWitnesses witnesses(AuditLog of) {
        // Why its own witness record per test: the bean's witnesses are those configured, none here.
        return new CheckpointWitnesses(of, List.of(new WitnessClient(witness.url(), witness.key(), Duration.ofSeconds(5))), jdbc,
                Clock.systemUTC());
    }

    private void audited(int reads) {
        String id = client.create().resource(Fixtures.newborn(uniqueSystem(), "MRN-WITNESS")).execute().getId().getIdPart();
        for (int i = 1; i < reads; i++) {
            client.read().resource(Patient.class).withId(id).execute();
        }
    }
}

package org.newbornregistry.fhir.audit.witness;

import org.newbornregistry.adapter.audit.merkle.AddCheckpointRequest;
import org.newbornregistry.fhir.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands each new checkpoint of the audit log to the configured witnesses, the way a transparency
 * log gets its checkpoints cosigned: with a consistency proof from the size each witness last
 * cosigned, so that a witness cosigns only a log that extends what it saw before. A witness that
 * holds another size (409) is asked again from that size; cosignatures are kept with the
 * checkpoint ({@code audit_cosignature}). A witness that refuses or cannot be reached is reported
 * and asked again with the next checkpoint; the log goes on meanwhile. A refusal with 422 (the
 * proof does not verify) or 409 on the same size (a fork) means the witness saw another history:
 * the log has been tampered with, or the witness was given another log.
 */
public class CheckpointWitnesses {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointWitnesses.class);

    private final AuditLog log;
    private final List<WitnessClient> witnesses;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    /** The tree size each witness last cosigned, as far as this instance knows (0 until it says otherwise). */
    private final Map<String, Long> cosigned = new ConcurrentHashMap<>();
    /** The largest checkpoint handed to the witnesses. */
    private long published = -1;

    public CheckpointWitnesses(AuditLog log, List<WitnessClient> witnesses, JdbcTemplate jdbc, Clock clock) {
        this.log = log;
        this.witnesses = List.copyOf(witnesses);
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The witnesses asked. */
    public List<WitnessClient> witnesses() {
        return witnesses;
    }

    /** What one witness answered to a checkpoint. */
    public record Outcome(String witness, WitnessClient.Result result) {
    }

    /**
     * Asks every witness to cosign this checkpoint unless it was handed to them already, or a larger one was;
     * what each answered.
     */
    public synchronized List<Outcome> publishIfNew(AuditLog.SignedCheckpoint checkpoint) {
        if (checkpoint.size() <= published || witnesses.isEmpty()) {
            return List.of();
        }
        published = checkpoint.size();
        return publish(checkpoint);
    }

    /** Asks every witness to cosign this checkpoint; what each answered. */
    public List<Outcome> publish(AuditLog.SignedCheckpoint checkpoint) {
        List<Outcome> outcomes = new ArrayList<>(witnesses.size());
        for (WitnessClient witness : witnesses) {
            outcomes.add(new Outcome(witness.name(), publish(witness, checkpoint)));
        }
        return outcomes;
    }

    private WitnessClient.Result publish(WitnessClient witness, AuditLog.SignedCheckpoint checkpoint) {
        long old = Math.min(cosigned.getOrDefault(witness.name(), 0L), checkpoint.size());
        WitnessClient.Result result = witness.addCheckpoint(request(old, checkpoint));
        if (result instanceof WitnessClient.Conflict conflict && conflict.witnessSize() <= checkpoint.size()) {
            result = witness.addCheckpoint(request(conflict.witnessSize(), checkpoint));
        }
        if (result instanceof WitnessClient.Cosigned signed) {
            cosigned.put(witness.name(), checkpoint.size());
            for (String line : signed.signatureLines()) {
                jdbc.update("""
                        insert into audit_cosignature (tree_size, witness, signature, received) values (?, ?, ?, ?)
                        on conflict do nothing""", checkpoint.size(), witness.name(), line, clock.instant().atOffset(ZoneOffset.UTC));
            }
        } else if (result instanceof WitnessClient.Conflict conflict) {
            LOG.error("Audit witness {} holds a checkpoint at size {}, beyond this log's {}: it was given another log",
                    witness.name(), conflict.witnessSize(), checkpoint.size());
        } else if (result instanceof WitnessClient.Refused refused) {
            LOG.error("Audit witness {} refused the checkpoint at size {}: {}", witness.name(), checkpoint.size(), refused.reason());
        } else if (result instanceof WitnessClient.Unreachable unreachable) {
            LOG.warn("Audit witness {} not reached with the checkpoint at size {}: {}", witness.name(), checkpoint.size(),
                    unreachable.reason());
        }
        return result;
    }

    private AddCheckpointRequest request(long old, AuditLog.SignedCheckpoint checkpoint) {
        return AddCheckpointRequest.of(old, old == 0 || old == checkpoint.size() ? List.of() : log.consistency(old, checkpoint.size()),
                checkpoint.note());
    }

    /** The cosignature lines kept for a checkpoint, by witness. */
    public Map<String, String> cosignatures(long treeSize) {
        Map<String, String> lines = new java.util.LinkedHashMap<>();
        jdbc.query("select witness, signature from audit_cosignature where tree_size = ? order by witness",
                (org.springframework.jdbc.core.RowCallbackHandler) rs -> lines.put(rs.getString(1), rs.getString(2)), treeSize);
        return lines;
    }
}

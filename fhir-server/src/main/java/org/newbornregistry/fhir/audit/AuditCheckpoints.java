package org.newbornregistry.fhir.audit;

import org.newbornregistry.fhir.audit.witness.CheckpointWitnesses;

import java.util.Optional;

/**
 * One checkpoint step of the audit log, whether the schedule or an auditor asks for it: integrate
 * the new entries and sign (which writes the checkpoint to its file), then hand a new checkpoint
 * to the witnesses.
 */
public class AuditCheckpoints {

    private final AuditLog log;
    private final CheckpointWitnesses witnesses;

    public AuditCheckpoints(AuditLog log, CheckpointWitnesses witnesses) {
        this.log = log;
        this.witnesses = witnesses;
    }

    /** The latest checkpoint, after integrating and publishing. */
    public Optional<AuditLog.SignedCheckpoint> checkpoint() {
        Optional<AuditLog.SignedCheckpoint> latest = log.integrate();
        latest.ifPresent(witnesses::publishIfNew);
        return latest;
    }
}

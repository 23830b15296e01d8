package org.newbornregistry.fhir.outbox;

import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.newbornregistry.adapter.index.StrGenotypes;
import org.newbornregistry.fhir.store.ResourceKey;
import org.newbornregistry.fhir.store.StoredVersionListener;

import java.time.Instant;
import java.util.Set;

/**
 * Writes the outbox rows a stored version calls for, in its transaction: a final STR genotype, or
 * a corrected or amended one, is to be submitted; a changed or deleted Consent is to be reviewed
 * for its newborn (submit what is now permitted, withdraw what no longer is); a blood spot that now
 * names its newborn wakes the submissions waiting to learn whose genotype they carry.
 *
 * <p>It decides nothing about consent: the forwarder decides at the moment of sending, so a
 * consent withdrawn between the genotype and its delivery still stops it.
 */
public class IndexOutboxTrigger implements StoredVersionListener {

    private final IndexOutbox outbox;

    public IndexOutboxTrigger(IndexOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public Set<String> types() {
        return Set.of("Observation", "Consent", "Specimen");
    }

    @Override
    public void stored(ResourceKey key, long version, Resource resource, boolean deleted, Instant when) {
        if (resource instanceof Observation genotype && !deleted && StrGenotypes.isGenotype(genotype) && StrGenotypes.isReportable(genotype)) {
            String reason = genotype.getStatus() == Observation.ObservationStatus.FINAL ? "GENOTYPE_FINAL" : "GENOTYPE_CORRECTED";
            outbox.enqueue(OutboxAction.SUBMIT, reason, patientId(genotype.getSubject()), key.id(), version, when);
        } else if (resource instanceof Consent consent) {
            String patientId = patientId(consent.getPatient());
            if (patientId != null) {
                outbox.enqueue(OutboxAction.REVIEW, deleted ? "CONSENT_DELETED" : "CONSENT_CHANGED", patientId, null, null, when);
            }
        } else if (resource instanceof Specimen spot && !deleted && patientId(spot.getSubject()) != null) {
            outbox.wakeUnlinked(when);
        }
    }

    /** The Patient id a stored reference names (the write path has made it local), or null. */
    private static String patientId(Reference reference) {
        return reference != null && "Patient".equals(reference.getReferenceElement().getResourceType())
                ? reference.getReferenceElement().getIdPart() : null;
    }
}

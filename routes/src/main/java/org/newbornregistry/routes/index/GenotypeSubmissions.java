package org.newbornregistry.routes.index;

import org.hl7.fhir.r4.model.Observation;
import org.newbornregistry.adapter.genotype.LocusGenotype;
import org.newbornregistry.adapter.genotype.StrLocus;
import org.newbornregistry.adapter.index.IndexSubmission;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A stored genotype Observation as an index submission under a pseudonym: its loci (validated
 * again, as the registry's profile promises), its kit and when it was typed. Partial when any
 * of the 20 CODIS core loci is missing.
 */
final class GenotypeSubmissions {

    private GenotypeSubmissions() {
    }

    /** The submission of a genotype, or empty when it holds no locus the index can take. */
    static Optional<IndexSubmission> of(Observation genotype, String pseudonym) {
        List<LocusGenotype> loci = new ArrayList<>();
        for (Observation.ObservationComponentComponent component : genotype.getComponent()) {
            Optional<StrLocus> locus = StrLocus.find(component.getCode().getCodingFirstRep().getCode());
            if (locus.isEmpty() || !component.hasValueStringType()) {
                continue;
            }
            loci.add(LocusGenotype.of(locus.get(), Arrays.asList(component.getValueStringType().getValue().split(","))));
        }
        if (loci.isEmpty()) {
            return Optional.empty();
        }
        boolean partial = !loci.stream().map(LocusGenotype::locus).toList().containsAll(StrLocus.CODIS_CORE);
        String kit = genotype.hasMethod()
                ? (genotype.getMethod().hasCoding() ? genotype.getMethod().getCodingFirstRep().getCode() : genotype.getMethod().getText())
                : null;
        if (kit != null && kit.length() > 32) {
            kit = kit.substring(0, 32);
        }
        Instant typedAt = genotype.hasEffectiveDateTimeType() ? genotype.getEffectiveDateTimeType().getValue().toInstant()
                : genotype.hasIssued() ? genotype.getIssued().toInstant() : genotype.getMeta().getLastUpdated().toInstant();
        return Optional.of(new IndexSubmission(pseudonym, kit, typedAt, loci, partial));
    }
}

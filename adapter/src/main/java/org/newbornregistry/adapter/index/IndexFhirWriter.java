package org.newbornregistry.adapter.index;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Specimen;
import org.hl7.fhir.r4.model.StringType;
import org.newbornregistry.adapter.genotype.LocusGenotype;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.Date;

/**
 * Writes a submission for an index that takes FHIR: a transaction of the blood spot and the
 * genotype Observation, both known only by the pseudonym. The Observation's subject is a
 * logical reference to the pseudonym, not a Patient: the index gets no person resource at all.
 * Conditional on the pseudonym, so that a resend or a correction replaces what the index holds.
 */
public final class IndexFhirWriter {

    private static final String SPECIMEN_URL = "urn:uuid:00000000-0000-4000-8000-000000000001";

    /** The transaction Bundle of one submission. */
    public Bundle write(IndexSubmission submission) {
        Identifier pseudonym = new Identifier().setSystem(NbrCanonical.INDEX_PSEUDONYM_SYSTEM).setValue(submission.pseudonym());
        String condition = "identifier=" + NbrCanonical.INDEX_PSEUDONYM_SYSTEM + "|" + submission.pseudonym();

        Specimen spot = new Specimen().addIdentifier(pseudonym.copy())
                .setType(new CodeableConcept(new Coding("http://snomed.info/sct", "440500007", "Blood spot specimen")));
        spot.getSubject().setIdentifier(pseudonym.copy());

        Observation genotype = new Observation().setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new CodeableConcept(new Coding("http://loinc.org", NbrCanonical.STR_GENOTYPE_CODE, "Genotype display name")));
        genotype.addIdentifier(pseudonym.copy());
        genotype.getSubject().setIdentifier(pseudonym.copy());
        genotype.setSpecimen(new Reference(SPECIMEN_URL));
        genotype.setIssuedElement(new InstantType(Date.from(submission.typedAt())));
        if (submission.kit() != null) {
            genotype.setMethod(new CodeableConcept().setText(submission.kit()));
        }
        for (LocusGenotype locus : submission.loci()) {
            genotype.addComponent()
                    .setCode(new CodeableConcept(new Coding(NbrCanonical.STR_LOCUS_SYSTEM, locus.locus().code(), locus.locus().cmfName())))
                    .setValue(new StringType(locus.joined()));
        }

        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setFullUrl(SPECIMEN_URL).setResource(spot).getRequest()
                .setMethod(Bundle.HTTPVerb.PUT).setUrl("Specimen?" + condition);
        bundle.addEntry().setFullUrl("urn:uuid:00000000-0000-4000-8000-000000000002").setResource(genotype).getRequest()
                .setMethod(Bundle.HTTPVerb.PUT).setUrl("Observation?" + condition);
        return bundle;
    }
}

package org.newbornregistry.fhir;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Specimen;
import org.hl7.fhir.r4.model.StringType;
import org.newbornregistry.conformance.FhirExamples;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.UUID;

/** Small registry resources the tests build again and again. */
public final class Fixtures {

    private Fixtures() {
    }

    /** A newborn girl born 2024-05-01 with one identifier. */
    static Patient newborn(String system, String mrn) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(system).setValue(mrn);
        patient.addName().setFamily("Doe").addGiven("Baby Girl");
        patient.setGender(AdministrativeGender.FEMALE);
        patient.getBirthDateElement().setValueAsString("2024-05-01");
        return patient;
    }

    /** A final birth-weight Observation (LOINC 8339-4) about {@code subject}. */
    static Observation birthWeight(String subject) {
        Observation weight = new Observation();
        weight.setStatus(Observation.ObservationStatus.FINAL);
        weight.getCode().addCoding().setSystem("http://loinc.org").setCode("8339-4");
        weight.getSubject().setReference(subject);
        weight.setEffective(new DateTimeType("2024-05-01T10:00:00Z"));
        return weight;
    }

    /** A blood-spot card (SNOMED CT 440500007) identified by {@code card}, as nbr-blood-spot-specimen wants it. */
    static Specimen bloodSpot(String system, String card) {
        Specimen spot = new Specimen();
        spot.addIdentifier().setSystem(system).setValue(card);
        spot.getType().addCoding().setSystem("http://snomed.info/sct").setCode("440500007").setDisplay("Blood spot specimen");
        return spot;
    }

    /**
     * A final STR genotype (LOINC 84413-4) identified by {@code id}, typed on {@code specimen} (none when null): TH01 9.3,10,
     * vWA 16,17, Amelogenin X,Y.
     */
    static Observation genotype(String system, String id, String specimen) {
        Observation genotype = new Observation();
        genotype.addIdentifier().setSystem(system).setValue(id);
        genotype.setStatus(Observation.ObservationStatus.FINAL);
        genotype.getCode().addCoding().setSystem("http://loinc.org").setCode("84413-4").setDisplay("Genotype display name");
        genotype.getMethod().setText("GlobalFiler");
        if (specimen != null) {
            genotype.getSpecimen().setReference(specimen);
        }
        locus(genotype, "TH01", "9.3,10");
        locus(genotype, "vWA", "16,17");
        locus(genotype, "Amelogenin", "X,Y");
        return genotype;
    }

    private static void locus(Observation genotype, String locus, String alleles) {
        genotype.addComponent().setValue(new StringType(alleles)).getCode().addCoding()
                .setSystem(NbrCanonical.STR_LOCUS_SYSTEM).setCode(locus);
    }

    /** The example consent under an identifier of its own: business identifiers are unique, and tests share the registry. */
    public static Consent uniqueConsent(FhirExamples story) {
        Consent consent = FhirContext.forR4Cached().newJsonParser().parseResource(Consent.class, story.json("consent.json"));
        consent.getIdentifierFirstRep().setValue("CONSENT-" + UUID.randomUUID());
        return consent;
    }
}

package org.newbornregistry.fhir;

import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;

/** Small registry resources the tests build again and again. */
final class Fixtures {

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
}

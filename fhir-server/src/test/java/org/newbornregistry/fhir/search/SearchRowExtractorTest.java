package org.newbornregistry.fhir.search;

import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SearchRowExtractorTest {

    private final SearchRowExtractor extractor =
            new SearchRowExtractor(SearchTestSupport.FHIR_PATH, SearchTestSupport.REGISTRY);

    @Test
    void shouldIndexNewbornIdentifiersGenderNameAndBirthDate() {
        // given
        Patient newborn = new Patient();
        newborn.addIdentifier().setSystem("urn:oid:2.16.840.1.113883.3.1").setValue("MRN1");
        newborn.addName().setFamily("Müller").addGiven("Baby").addGiven("Girl");
        newborn.setGender(AdministrativeGender.FEMALE);
        newborn.getBirthDateElement().setValueAsString("2024-05-01");
        newborn.getMeta().addTag("urn:tags", "nbs", null);

        // when
        SearchRows index = extractor.extract(newborn);

        // then
        assertThat(index.tokens()).contains(
                new SearchRows.Token("identifier", "urn:oid:2.16.840.1.113883.3.1", "MRN1"),
                new SearchRows.Token("gender", "http://hl7.org/fhir/administrative-gender", "female"),
                new SearchRows.Token("_tag", "urn:tags", "nbs"));
        assertThat(index.strings()).contains(
                new SearchRows.Text("family", "MULLER", "Müller"),
                new SearchRows.Text("given", "GIRL", "Girl"),
                new SearchRows.Text("name", "BABY", "Baby"));
        assertThat(index.dates()).containsExactly(new SearchRows.Dates("birthdate",
                Instant.parse("2024-05-01T00:00:00Z"), Instant.parse("2024-05-01T23:59:59.999999Z")));
    }

    @Test
    void shouldIndexPatientParameterOnlyWhenTheSubjectIsAPatient() {
        // given
        Observation onPatient = new Observation();
        onPatient.getSubject().setReference("Patient/p1");
        onPatient.setEffective(new Period().setStartElement(new DateTimeType("2024-05-01T10:00:00Z")));
        Observation onDevice = new Observation();
        onDevice.getSubject().setReference("Device/d1");

        // when
        SearchRows patientIndex = extractor.extract(onPatient);
        SearchRows deviceIndex = extractor.extract(onDevice);

        // then
        assertThat(patientIndex.references()).contains(
                new SearchRows.Ref("subject", "Patient", "p1", null),
                new SearchRows.Ref("patient", "Patient", "p1", null));
        assertThat(deviceIndex.references()).containsExactly(new SearchRows.Ref("subject", "Device", "d1", null));
        assertThat(patientIndex.dates()).containsExactly(new SearchRows.Dates("date",
                Instant.parse("2024-05-01T10:00:00Z"), DateRange.MAX));
    }

    @Test
    void shouldIndexSpecimenAccessionAndKeepAbsoluteReferencesAsUrls() {
        // given
        Specimen card = new Specimen();
        card.getAccessionIdentifier().setSystem("urn:lab").setValue("A-1");
        card.getSubject().setReference("https://other.example/fhir/Patient/9");

        // when
        SearchRows index = extractor.extract(card);

        // then
        assertThat(index.tokens()).contains(new SearchRows.Token("accession", "urn:lab", "A-1"));
        assertThat(index.references()).contains(
                new SearchRows.Ref("subject", null, null, "https://other.example/fhir/Patient/9"));
    }
}

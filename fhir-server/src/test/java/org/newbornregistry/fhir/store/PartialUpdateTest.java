package org.newbornregistry.fhir.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Specimen;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PartialUpdateTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String MAIDEN_NAME = "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName";
    private static final String BIRTH_PLACE = "http://hl7.org/fhir/StructureDefinition/patient-birthPlace";

    @Test
    void shouldKeepWhatIsNotSentReplaceWhatIsSentAndRemoveWhatIsCleared() {
        // given
        Patient stored = newborn();
        Patient sent = new Patient();
        sent.addName().setFamily("DOE").addGiven("ANNA");
        PartialUpdate update = new PartialUpdate(Set.of("telecom"), Set.of());

        // when
        Patient merged = (Patient) update.applyTo(FHIR, stored, sent);

        // then
        assertThat(merged.getName()).hasSize(1);
        assertThat(merged.getNameFirstRep().getGivenAsSingleString()).isEqualTo("ANNA");
        assertThat(merged.getBirthDateElement().getValueAsString()).isEqualTo("2024-05-01");
        assertThat(merged.getAddress()).hasSize(2);
        assertThat(merged.hasTelecom()).isFalse();
        assertThat(stored.getNameFirstRep().getGivenAsSingleString()).as("the stored resource is not changed").isEqualTo("BABY GIRL");
        assertThat(stored.hasTelecom()).isTrue();
    }

    @Test
    void shouldReplaceARepeatingElementAsAWholeAndADataTypeAsAUnit() {
        // given
        Patient stored = newborn();
        Patient sent = new Patient().addAddress(new Address().setCity("SHELBYVILLE"));
        Specimen storedSpot = new Specimen().setType(new CodeableConcept(new Coding("http://snomed.info/sct", "440500007", null))
                .setText("Blood spot"));
        Specimen sentSpot = new Specimen().setType(new CodeableConcept(new Coding("http://snomed.info/sct", "119297000", null)));
        PartialUpdate update = new PartialUpdate(Set.of(), Set.of());

        // when
        Patient merged = (Patient) update.applyTo(FHIR, stored, sent);
        Specimen mergedSpot = (Specimen) update.applyTo(FHIR, storedSpot, sentSpot);

        // then
        assertThat(merged.getAddress()).extracting(Address::getCity).containsExactly("SHELBYVILLE");
        assertThat(mergedSpot.getType().hasText()).as("the old code's text does not stay with the new code").isFalse();
        assertThat(mergedSpot.getType().getCodingFirstRep().getCode()).isEqualTo("119297000");
    }

    @Test
    void shouldMergeBackboneElementsAndPeriodsPartByPart() {
        // given
        Specimen stored = new Specimen();
        stored.getCollection().setCollected(new DateTimeType("2024-05-02T08:30:00-05:00"))
                .setCollector(new Reference("Practitioner/p1"));
        Specimen sent = new Specimen();
        sent.getCollection().setCollected(new DateTimeType("2024-05-02T08:45:00-05:00"));
        Encounter storedVisit = new Encounter();
        storedVisit.getPeriod().setStartElement(new DateTimeType("2024-05-01T08:12:00-05:00"))
                .setEndElement(new DateTimeType("2024-05-03T10:00:00-05:00"));
        Encounter sentVisit = new Encounter();
        sentVisit.getPeriod().setStartElement(new DateTimeType("2024-05-01T08:15:00-05:00"));

        // when
        Specimen merged = (Specimen) new PartialUpdate(Set.of(), Set.of()).applyTo(FHIR, stored, sent);
        Encounter mergedVisit = (Encounter) new PartialUpdate(Set.of(), Set.of()).applyTo(FHIR, storedVisit, sentVisit);
        Encounter reopened = (Encounter) new PartialUpdate(Set.of("period.end"), Set.of()).applyTo(FHIR, storedVisit, sentVisit);

        // then
        assertThat(merged.getCollection().getCollectedDateTimeType().getValueAsString()).isEqualTo("2024-05-02T08:45:00-05:00");
        assertThat(merged.getCollection().getCollector().getReference()).isEqualTo("Practitioner/p1");
        assertThat(mergedVisit.getPeriod().getStartElement().getValueAsString()).isEqualTo("2024-05-01T08:15:00-05:00");
        assertThat(mergedVisit.getPeriod().getEndElement().getValueAsString()).isEqualTo("2024-05-03T10:00:00-05:00");
        assertThat(reopened.getPeriod().hasEnd()).isFalse();
    }

    @Test
    void shouldTakeADefaultedElementOnlyWhereTheRecordHasNone() {
        // given
        Encounter stored = new Encounter().setStatus(Encounter.EncounterStatus.FINISHED);
        Encounter sent = new Encounter().setStatus(Encounter.EncounterStatus.INPROGRESS);
        PartialUpdate update = new PartialUpdate(Set.of(), Set.of("status"));

        // when
        Encounter kept = (Encounter) update.applyTo(FHIR, stored, sent);
        Encounter filled = (Encounter) update.applyTo(FHIR, new Encounter(), sent);

        // then
        assertThat(kept.getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
        assertThat(filled.getStatus()).isEqualTo(Encounter.EncounterStatus.INPROGRESS);
    }

    @Test
    void shouldGrowIdentifiersAndLinksInsteadOfReplacingThem() {
        // given
        Patient stored = newborn();
        stored.addLink().setType(Patient.LinkType.REPLACES).setOther(new Reference("Patient/old1"));
        Patient sent = new Patient();
        sent.addIdentifier().setSystem("urn:oid:2.16.840.1.113883.19.5").setValue("GH0001").setUse(org.hl7.fhir.r4.model.Identifier.IdentifierUse.OFFICIAL);
        sent.addIdentifier().setSystem("urn:oid:2.16.840.1.113883.4.1").setValue("123-45-6789");
        sent.addLink().setType(Patient.LinkType.REPLACES).setOther(new Reference("Patient/old2"));

        // when
        Patient merged = (Patient) new PartialUpdate(Set.of(), Set.of()).applyTo(FHIR, stored, sent);

        // then
        assertThat(merged.getIdentifier()).extracting(i -> i.getValue()).containsExactly("GH0001", "123-45-6789");
        assertThat(merged.getIdentifierFirstRep().getUse()).as("a sent identifier replaces the stored one it matches")
                .isEqualTo(org.hl7.fhir.r4.model.Identifier.IdentifierUse.OFFICIAL);
        assertThat(merged.getLink()).extracting(l -> l.getOther().getReference()).containsExactly("Patient/old1", "Patient/old2");
    }

    @Test
    void shouldReplaceExtensionsByUrlAndRemoveAClearedOne() {
        // given
        Patient stored = newborn();
        Patient sent = new Patient();
        sent.addExtension(MAIDEN_NAME, new StringType("ROE-SMITH"));
        PartialUpdate update = new PartialUpdate(Set.of("extension('" + BIRTH_PLACE + "')"), Set.of());

        // when
        Patient merged = (Patient) update.applyTo(FHIR, stored, sent);

        // then
        assertThat(merged.getExtensionsByUrl(MAIDEN_NAME)).singleElement()
                .satisfies(e -> assertThat(e.getValue().primitiveValue()).isEqualTo("ROE-SMITH"));
        assertThat(merged.getExtensionsByUrl(BIRTH_PLACE)).isEmpty();
    }

    @Test
    void shouldReadAPartialUpdateOnlyFromAPutThatAsksForIt() {
        // given
        Bundle.BundleEntryRequestComponent plain = new Bundle.BundleEntryRequestComponent().setMethod(Bundle.HTTPVerb.PUT);
        Bundle.BundleEntryRequestComponent partial = new Bundle.BundleEntryRequestComponent().setMethod(Bundle.HTTPVerb.PUT);
        partial.addExtension(NbrCanonical.PARTIAL_UPDATE, new org.hl7.fhir.r4.model.BooleanType(true));
        partial.addExtension(NbrCanonical.PARTIAL_UPDATE_CLEAR, new StringType("birthDate"));
        partial.addExtension(NbrCanonical.PARTIAL_UPDATE_DEFAULT, new StringType("status"));
        Bundle.BundleEntryRequestComponent post = partial.copy().setMethod(Bundle.HTTPVerb.POST);

        // when
        PartialUpdate none = PartialUpdate.of(plain, 0);
        PartialUpdate read = PartialUpdate.of(partial, 0);
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> PartialUpdate.of(post, 3));

        // then
        assertThat(none).as("FHIR's PUT replaces the whole resource").isNull();
        assertThat(read.cleared()).containsExactly("birthDate");
        assertThat(read.defaulted()).containsExactly("status");
        assertThat(((org.hl7.fhir.r4.model.OperationOutcome) refused.getOperationOutcome()).getIssueFirstRep()
                .getExpression()).extracting(StringType::getValue).containsExactly("Bundle.entry[3].request.method");
    }

    private static Patient newborn() {
        Patient patient = new Patient();
        patient.setId("Patient/p1/_history/1");
        patient.addIdentifier().setSystem("urn:oid:2.16.840.1.113883.19.5").setValue("GH0001");
        patient.addName().setFamily("DOE").addGiven("BABY GIRL");
        patient.getBirthDateElement().setValueAsString("2024-05-01");
        patient.addAddress(new Address().setCity("SPRINGFIELD")).addAddress(new Address().setCity("CHATHAM"));
        patient.addTelecom().setValue("217-555-0100");
        patient.addExtension(MAIDEN_NAME, new StringType("ROE"));
        patient.addExtension(BIRTH_PLACE, new Address().setText("SPRINGFIELD GENERAL HOSPITAL"));
        return patient;
    }
}

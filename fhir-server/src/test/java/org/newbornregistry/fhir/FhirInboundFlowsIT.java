package org.newbornregistry.fhir;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.FhirExamples;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FHIR inbound flows of {@code conformance/src/main/resources/examples/fhir}, posted as a
 * hospital and a lab would: through the one write path the HL7 messages take.
 */
class FhirInboundFlowsIT extends RegistryIntegrationSupport {

    private static final String MRN = "urn:oid:2.16.840.1.113883.19.5|";
    private static final String SPOT = "urn:oid:2.16.840.1.113883.19.5.4|";

    @Test
    void shouldRegisterABirthOnceHoweverOftenTheHospitalSendsIt() {
        // given
        FhirExamples story = FhirExamples.story();

        // when
        Bundle first = transaction(story.json("birth-transaction.json"));
        Bundle resent = transaction(story.json("birth-transaction.json"));

        // then
        assertThat(locations(resent)).as("the resend finds every record the first post created").isEqualTo(locations(first));
        assertThat(resent.getEntry()).allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("200"));
        Patient newborn = only(Patient.class, "Patient?identifier=" + MRN + story.mrn());
        assertThat(newborn.getMultipleBirthIntegerType().getValue()).isEqualTo(2);
        RelatedPerson mother = only(RelatedPerson.class, "RelatedPerson?patient=Patient/" + newborn.getIdPart());
        assertThat(mother.getRelationshipFirstRep().getCodingFirstRep().getCode()).isEqualTo("MTH");
        Patient motherAsPatient = only(Patient.class, "Patient?identifier=" + MRN + "GHM" + story.suffix());
        assertThat(motherAsPatient.getLinkFirstRep().getOther().getReference()).isEqualTo("RelatedPerson/" + mother.getIdPart());
        assertThat(only(Encounter.class, "Encounter?subject=Patient/" + newborn.getIdPart()).getIdentifierFirstRep().getValue())
                .isEqualTo("V" + story.suffix());
    }

    @Test
    void shouldLinkOrderSpecimenGenotypeAndConsentToTheNewborn() {
        // given
        FhirExamples story = FhirExamples.story();
        transaction(story.json("birth-transaction.json"));

        // when
        transaction(story.json("blood-spot-order-transaction.json"));
        transaction(story.json("str-genotype-transaction.json"));
        client.create().resource(story.json("consent.json")).execute();

        // then
        Patient newborn = only(Patient.class, "Patient?identifier=" + MRN + story.mrn());
        Specimen spot = only(Specimen.class, "Specimen?identifier=" + SPOT + story.spot());
        assertThat(spot.getSubject().getReference()).isEqualTo("Patient/" + newborn.getIdPart());
        ServiceRequest order = only(ServiceRequest.class, "ServiceRequest?subject=Patient/" + newborn.getIdPart());
        assertThat(order.getSpecimenFirstRep().getReference()).isEqualTo("Specimen/" + spot.getIdPart());
        Observation genotype = only(Observation.class, "Observation?specimen=Specimen/" + spot.getIdPart()
                + "&code=http://loinc.org|84413-4");
        assertThat(genotype.getComponent()).hasSize(21);
        assertThat(only(DiagnosticReport.class, "DiagnosticReport?specimen=Specimen/" + spot.getIdPart())
                .getResultFirstRep().getReference()).isEqualTo("Observation/" + genotype.getIdPart());
        Consent consent = only(Consent.class, "Consent?patient=Patient/" + newborn.getIdPart());
        assertThat(consent.getProvision().getProvision()).hasSize(4);
    }

    @Test
    void shouldLinkAGenotypePostedBeforeTheOrderOnceTheOrderArrives() {
        // given: the lab posts first, naming only the blood spot
        FhirExamples story = FhirExamples.story();
        transaction(story.json("str-genotype-transaction.json"));
        Specimen before = only(Specimen.class, "Specimen?identifier=" + SPOT + story.spot());
        assertThat(before.hasSubject()).isFalse();

        // when
        transaction(story.json("birth-transaction.json"));
        transaction(story.json("blood-spot-order-transaction.json"));

        // then
        Specimen after = only(Specimen.class, "Specimen?identifier=" + SPOT + story.spot());
        assertThat(after.getIdPart()).isEqualTo(before.getIdPart());
        Patient newborn = only(Patient.class, "Patient?identifier=" + MRN + story.mrn());
        assertThat(after.getSubject().getReference()).isEqualTo("Patient/" + newborn.getIdPart());
        assertThat(only(Observation.class, "Observation?specimen=Specimen/" + after.getIdPart()).getComponent()).hasSize(21);
    }

    private Bundle transaction(String json) {
        return client.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class, json)).execute();
    }

    private static List<String> locations(Bundle response) {
        return response.getEntry().stream().map(e -> e.getResponse().getLocation().replaceAll("/_history/.*", "")).toList();
    }

    private <T extends Resource> T only(Class<T> type, String url) {
        Bundle found = client.search().byUrl(url).returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).as(url).hasSize(1);
        return type.cast(found.getEntryFirstRep().getResource());
    }
}

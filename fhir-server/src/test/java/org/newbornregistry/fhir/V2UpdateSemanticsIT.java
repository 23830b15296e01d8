package org.newbornregistry.fhir;

import ca.uhn.hl7v2.AcknowledgmentCode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.Samples;
import org.newbornregistry.fhir.hl7.InboundMessageService;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HL7 v2 updates through the write path keep what a message does not carry, remove what it sends
 * as {@code ""} and replace what it sends (v2.9 chapter 2.5.3), each change a new version: the
 * project's samples with identifiers of their own per test.
 */
class V2UpdateSemanticsIT extends RegistryIntegrationSupport {

    private static final String HOSPITAL = "^^^GENERAL HOSPITAL&2.16.840.1.113883.19.5&ISO^MR";

    @Autowired
    InboundMessageService inbound;

    private final String run = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 1_000_000));

    @Test
    void shouldKeepWhatAnA08DoesNotCarryAndRemoveWhatItSendsAsExplicitNull() {
        // given: a birth with date and time of birth, sex, address and birth order
        receive(sample("adt-a01-newborn-twin-b.hl7"));
        Patient born = newborn("GA");

        // when: an A08 carries only the identifier and the real name, then one clears the address and birth date
        receive(update("A08", "1", "PID|1||GA" + run + HOSPITAL + "||DOE^ANNA^^^^^L"));
        Patient renamed = newborn("GA");
        receive(update("A08", "2", "PID|1||GA" + run + HOSPITAL + "||||\"\"||||\"\""));
        Patient cleared = newborn("GA");

        // then
        assertThat(renamed.getNameFirstRep().getGivenAsSingleString()).isEqualTo("ANNA");
        assertThat(renamed.getBirthDateElement().getValueAsString()).isEqualTo("2024-05-01");
        assertThat(renamed.getBirthDateElement().getExtension()).as("the time of birth").hasSize(1);
        assertThat(renamed.getGender()).isEqualTo(born.getGender());
        assertThat(renamed.getAddress()).hasSize(1);
        assertThat(renamed.getAddressFirstRep().equalsDeep(born.getAddressFirstRep())).isTrue();
        assertThat(renamed.getMultipleBirthIntegerType().getValue()).isEqualTo(2);
        assertThat(renamed.getMeta().getVersionId()).isEqualTo("2");
        assertThat(cleared.hasBirthDate()).isFalse();
        assertThat(cleared.hasAddress()).isFalse();
        assertThat(cleared.getNameFirstRep().getGivenAsSingleString()).as("PID-5 empty: kept").isEqualTo("ANNA");
        assertThat(cleared.getGender()).isEqualTo(born.getGender());
        assertThat(cleared.getMeta().getVersionId()).isEqualTo("3");
        Bundle history = client.history().onInstance(cleared.getIdElement().toUnqualifiedVersionless())
                .returnBundle(Bundle.class).execute();
        assertThat(history.getEntry()).as("each change a version").hasSize(3);
    }

    @Test
    void shouldKeepTheParentsAndTheVisitWhenAnUpdateCarriesOnlyThePatient() {
        // given
        receive(sample("adt-a01-newborn-twin-b.hl7"));
        RelatedPerson mother = mother("GA");
        Encounter visit = visit("GA");

        // when: an A08 with NK1 of the mother without her address, and PV1 without its class or discharge
        receive(update("A08", "1", "PID|1||GA" + run + HOSPITAL + "||DOE^ANNA^^^^^L\r"
                + "NK1|1|DOE^JANE^^^^^L|MTH^Mother^HL70063\r"
                + "PV1|1||NURSERY^101^1"));

        // then
        RelatedPerson motherAfter = mother("GA");
        Encounter visitAfter = visit("GA");
        assertThat(motherAfter.getAddress()).hasSize(1);
        assertThat(motherAfter.getAddressFirstRep().equalsDeep(mother.getAddressFirstRep())).isTrue();
        assertThat(motherAfter.getBirthDateElement().getValueAsString()).isEqualTo("1995-03-12");
        assertThat(motherAfter.getTelecom()).hasSize(1);
        assertThat(visitAfter.getClass_().getCode()).isEqualTo(visit.getClass_().getCode());
        assertThat(visitAfter.getStatus()).isEqualTo(visit.getStatus());
        assertThat(visitAfter.getPeriod().getStartElement().getValueAsString())
                .isEqualTo(visit.getPeriod().getStartElement().getValueAsString());
    }

    @Test
    void shouldKeepTheAbsorbedNewbornsDemographicsWhenMerged() {
        // given: the samples in file-name order, as an integration engineer first sends them
        receive(sample("adt-a01-newborn-consent-con.hl7"));
        receive(sample("adt-a01-newborn-twin-b.hl7"));
        Patient before = newborn("GB");

        // when
        receive(sample("adt-a40-merge-duplicate-newborn.hl7"));

        // then
        Patient absorbed = newborn("GB");
        Patient survivor = newborn("GA");
        assertThat(absorbed.getActive()).isFalse();
        assertThat(absorbed.getBirthDateElement().getValueAsString()).isEqualTo(before.getBirthDateElement().getValueAsString());
        assertThat(absorbed.getGender()).isEqualTo(before.getGender());
        assertThat(absorbed.getAddressFirstRep().equalsDeep(before.getAddressFirstRep())).isTrue();
        assertThat(absorbed.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACEDBY);
        assertThat(absorbed.getLinkFirstRep().getOther().getReference()).isEqualTo("Patient/" + survivor.getIdPart());
        assertThat(survivor.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACES);
        assertThat(survivor.getActive()).isTrue();
        assertThat(survivor.hasBirthDate()).isTrue();
    }

    @Test
    void shouldKeepWhatTheLabRecordedOfTheSpecimenWhenTheHospitalSendsTheOrderAgain() {
        // given: the order, then the lab's result that received the card and found it unsatisfactory
        receive(sample("adt-a01-newborn-twin-b.hl7"));
        String order = sample("oml-o21-newborn-screening-order.hl7");
        receive(order);
        receive(sample("oru-r01-newborn-screening-unsatisfactory.hl7"));
        Specimen received = spot();

        // when: the hospital sends the order again
        receive(order.replace("|NBR-" + run + "-0002|", "|NBR-" + run + "-0002R|"));

        // then
        Specimen after = spot();
        assertThat(received.getReceivedTimeElement().getValueAsString()).startsWith("2024-05-03T09:00");
        assertThat(received.getStatus()).isEqualTo(Specimen.SpecimenStatus.UNSATISFACTORY);
        assertThat(after.getReceivedTimeElement().getValueAsString()).isEqualTo(received.getReceivedTimeElement().getValueAsString());
        assertThat(after.getStatus()).isEqualTo(Specimen.SpecimenStatus.UNSATISFACTORY);
        assertThat(after.getCondition()).hasSize(2);
        assertThat(after.getIdentifier()).as("the lab's filler id kept beside the hospital's").hasSize(2);
        assertThat(after.getSubject().getReference()).isEqualTo(received.getSubject().getReference());
    }

    private void receive(String message) {
        InboundMessageService.Receipt receipt = inbound.receive(message.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(receipt.ackCode()).as(receipt.ack()).isEqualTo(AcknowledgmentCode.AA);
    }

    /** A project sample with this test's own identifiers. */
    private String sample(String name) {
        return new String(Samples.v2(name), StandardCharsets.ISO_8859_1)
                .replace("GH0001", "GA" + run).replace("GH0002", "GB" + run)
                .replace("GHM0099", "GMA" + run).replace("GHM0098", "GMB" + run)
                .replace("V0001", "VA" + run).replace("V0002", "VB" + run)
                .replace("DBS24000001", "DBS" + run).replace("NBS0001", "NBS" + run).replace("NBS-24-0042", "NBSF-" + run)
                .replace("NBS-CONSENT-0002", "NBS-CONSENT-" + run).replace("NBR-SAMPLE-", "NBR-" + run + "-");
    }

    /** An ADT update of the twin-b sample's newborn with these segments after MSH and EVN. */
    private String update(String event, String sequence, String segments) {
        return "MSH|^~\\&|NURSERY|GENERAL HOSPITAL^2.16.840.1.113883.19.5^ISO|NBR|REGISTRY|20240503100000-0500||ADT^" + event
                + "^ADT_A01|NBR-" + run + "-U" + sequence + "|P|2.5.1\r"
                + "EVN|" + event + "|20240503100000-0500\r" + segments + "\r";
    }

    private Patient newborn(String prefix) {
        return (Patient) search("Patient?identifier=urn:oid:2.16.840.1.113883.19.5|" + prefix + run);
    }

    private RelatedPerson mother(String prefix) {
        return (RelatedPerson) search("RelatedPerson?patient=Patient/" + newborn(prefix).getIdPart());
    }

    private Encounter visit(String prefix) {
        return (Encounter) search("Encounter?subject=Patient/" + newborn(prefix).getIdPart());
    }

    private Specimen spot() {
        return (Specimen) search("Specimen?identifier=urn:oid:2.16.840.1.113883.19.5.4|DBS" + run);
    }

    private Resource search(String url) {
        Bundle found = client.search().byUrl(url).returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).as(url).hasSize(1);
        return found.getEntryFirstRep().getResource();
    }
}

package org.newbornregistry.fhir;

import ca.uhn.hl7v2.AcknowledgmentCode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.Samples;
import org.newbornregistry.conformance.TwinBirth;
import org.newbornregistry.fhir.hl7.InboundMessageService;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A birth and the newborn-screening order of the same newborn, through the write path against the real database. */
class NewbornOrderIT extends RegistryIntegrationSupport {

    @Autowired
    InboundMessageService inbound;

    @Test
    void shouldLandBirthAndOrderOnOneNewbornAndKeepTheBirthUpdatableAfterTheOrder() {
        // given
        TwinBirth birth = TwinBirth.unique();
        String order = orderFor(birth);
        String update = birth.text().replace("ADT^A01^ADT_A01|" + birth.controlId(), "ADT^A08^ADT_A01|" + birth.controlId() + "U")
                .replace("EVN|A01", "EVN|A08");

        // when
        AcknowledgmentCode birthAck = inbound.receive(birth.bytes()).ackCode();
        AcknowledgmentCode orderAck = inbound.receive(order.getBytes(StandardCharsets.US_ASCII)).ackCode();
        AcknowledgmentCode updateAck = inbound.receive(update.getBytes(StandardCharsets.US_ASCII)).ackCode();

        // then
        assertThat(List.of(birthAck, orderAck, updateAck)).containsOnly(AcknowledgmentCode.AA);
        Bundle found = client.search().byUrl("Patient?identifier=" + TwinBirth.MRN_SYSTEM + "|" + birth.mrn()
                        + "&_revinclude=ServiceRequest:subject&_revinclude=Specimen:subject&_revinclude=Observation:subject")
                .returnBundle(Bundle.class).execute();
        List<Resource> resources = found.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).toList();
        assertThat(resources).filteredOn(Patient.class::isInstance).hasSize(1);
        assertThat(resources).filteredOn(ServiceRequest.class::isInstance).hasSize(1);
        assertThat(resources).filteredOn(Specimen.class::isInstance).hasSize(1);
        assertThat(resources).filteredOn(r -> r instanceof Observation o && "8339-4".equals(o.getCode().getCodingFirstRep().getCode()))
                .as("the birth record's birth weight and the one answered with the order")
                .extracting(r -> ((Observation) r).hasBasedOn()).containsExactlyInAnyOrder(true, false);
    }

    /** The project's order sample for the newborn of {@code birth}, its own numbers made unique as well. */
    private static String orderFor(TwinBirth birth) {
        String unique = birth.mrn().substring(2);
        return new String(Samples.v2("oml-o21-newborn-screening-order.hl7"), StandardCharsets.US_ASCII)
                .replace("NBR-SAMPLE-0002", "O" + unique)
                .replace("GH0001^", birth.mrn() + "^")
                .replace("GHM0099^", "GHM" + unique + "^")
                .replace("NBS0001^", "NBS" + unique + "^")
                .replace("DBS24000001&", "DBS" + unique + "&");
    }
}

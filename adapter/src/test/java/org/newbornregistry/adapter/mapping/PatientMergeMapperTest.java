package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.AcknowledgmentCode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.adapter.hl7.Hl7Problem;
import org.newbornregistry.conformance.Samples;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PatientMergeMapperTest {

    private static final String SAMPLE = "adt-a40-merge-duplicate-newborn.hl7";

    private final V2Intake intake = new V2Intake(ZoneId.of("America/Chicago"), Set.of("P", "T", "D"));

    @Test
    void shouldLinkSurvivorAndAbsorbedPatientBothWaysByIdentifier() {
        // when
        Intake result = intake.read(Samples.v2(SAMPLE));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(result.problems()).isEmpty();
        List<Bundle.BundleEntryComponent> entries = result.mapped().transaction().getEntry();
        assertThat(entries).hasSize(2);
        Patient survivor = (Patient) entries.get(0).getResource();
        Patient absorbed = (Patient) entries.get(1).getResource();
        assertThat(entries.get(0).getRequest().getUrl()).isEqualTo("Patient?identifier=urn%3Aoid%3A2.16.840.1.113883.19.5%7CGH0001");
        assertThat(entries.get(1).getRequest().getUrl()).isEqualTo("Patient?identifier=urn%3Aoid%3A2.16.840.1.113883.19.5%7CGH0002");
        assertThat(survivor.getActive()).isTrue();
        assertThat(survivor.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACES);
        assertThat(survivor.getLinkFirstRep().getOther().getReference()).isEqualTo(entries.get(1).getFullUrl());
        assertThat(absorbed.getActive()).isFalse();
        assertThat(absorbed.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACEDBY);
        assertThat(absorbed.getLinkFirstRep().getOther().getReference()).isEqualTo(entries.get(0).getFullUrl());
    }

    @Test
    void shouldRefuseAMergeWithoutMrgOrIntoItself() {
        // given
        String sample = new String(Samples.v2(SAMPLE), StandardCharsets.US_ASCII);
        String withoutMrg = sample.replaceAll("MRG\\|[^\r]*\r", "");
        String intoItself = sample.replace("MRG|GH0002^", "MRG|GH0001^");

        // when
        Intake missing = intake.read(withoutMrg.getBytes(StandardCharsets.US_ASCII));
        Intake itself = intake.read(intoItself.getBytes(StandardCharsets.US_ASCII));

        // then
        assertThat(missing.ackCode()).isEqualTo(AcknowledgmentCode.AE);
        assertThat(missing.problems()).extracting(Hl7Problem::error).containsExactly(NbrError.HL7_REQUIRED_FIELD_MISSING);
        assertThat(itself.ackCode()).isEqualTo(AcknowledgmentCode.AE);
        assertThat(itself.problems()).extracting(Hl7Problem::location).containsExactly(new Hl7Location("MRG", 1, 1, 0));
    }
}

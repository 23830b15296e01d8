package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.AcknowledgmentCode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.adapter.hl7.Hl7Problem;
import org.newbornregistry.conformance.Samples;
import org.newbornregistry.conformance.SharedCorpus;

import java.nio.file.Files;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class NewbornAdtMapperTest {

    private final V2Intake intake = new V2Intake(ZoneId.of("America/Chicago"), Set.of("P", "T", "D"));

    @Test
    void shouldMapTwinBirthWithTemporaryNameBirthTimeMotherVisitAndBirthObservations() {
        // when
        Intake result = intake.read(Samples.v2("adt-a01-newborn-twin-b.hl7"));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        Patient baby = only(result, Patient.class, "Patient?identifier=urn%3Aoid%3A2.16.840.1.113883.19.5%7CGH0001");
        assertThat(baby.getNameFirstRep().getUse()).isEqualTo(HumanName.NameUse.TEMP);
        assertThat(baby.getNameFirstRep().getGivenAsSingleString()).isEqualTo("BABY GIRL B");
        assertThat(baby.getBirthDateElement().getValueAsString()).isEqualTo("2024-05-01");
        assertThat(baby.getBirthDateElement().getExtensionByUrl(PidPatientMapper.BIRTH_TIME).getValue().primitiveValue())
                .isEqualTo("2024-05-01T08:12:00-05:00");
        assertThat(baby.getMultipleBirthIntegerType().getValue()).isEqualTo(2);
        assertThat(((org.hl7.fhir.r4.model.StringType) baby.getExtensionByUrl(PidPatientMapper.MOTHERS_MAIDEN_NAME).getValue()).getValue())
                .isEqualTo("ROE");
        assertThat(result.problems()).extracting(Hl7Problem::location).containsExactly(Hl7Location.field("PID", 25));

        RelatedPerson mother = (RelatedPerson) resources(result, RelatedPerson.class).get(0);
        assertThat(mother.getRelationshipFirstRep().getCodingFirstRep().getCode()).isEqualTo("MTH");
        assertThat(mother.getIdentifier()).hasSize(1);
        assertThat(mother.getIdentifierFirstRep().getSystem()).isEqualTo("urn:oid:2.16.840.1.113883.19.5");
        assertThat(mother.getBirthDateElement().getValueAsString()).isEqualTo("1995-03-12");
        List<Resource> patients = resources(result, Patient.class);
        assertThat(patients).hasSize(2);
        Patient motherAsPatient = (Patient) patients.get(1);
        assertThat(motherAsPatient.getLinkFirstRep().getOther().getReference()).startsWith("urn:uuid:");

        Encounter birth = (Encounter) resources(result, Encounter.class).get(0);
        assertThat(birth.getIdentifierFirstRep().getValue()).isEqualTo("V0001");
        assertThat(birth.getPeriod().getStartElement().getValueAsString()).isEqualTo("2024-05-01T08:12:00-05:00");
        List<Resource> observations = resources(result, Observation.class);
        assertThat(observations).extracting(o -> ((Observation) o).getCode().getCodingFirstRep().getCode())
                .containsExactly("8339-4", "76516-4");
        Quantity weight = ((Observation) observations.get(0)).getValueQuantity();
        assertThat(weight.getValue()).isEqualByComparingTo("2450");
        assertThat(weight.getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(weight.getCode()).isEqualTo("g");
    }

    @Test
    void shouldRefuseAConsentDecidedInMonthZeroWithAnErrorAtCon13() {
        // given: CON-13 "200500", year and month 00 (found by V2IntakeFuzzTest: HAPI's exception escaped the intake)
        String sample = new String(Samples.v2("adt-a01-newborn-consent-con.hl7"), java.nio.charset.StandardCharsets.US_ASCII);
        byte[] damaged = sample.replaceFirst("\\|\\|20240501100000-0500\\|20240501100000-0500\\|", "||200500|||")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        // when
        Intake result = intake.read(damaged);

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AE);
        assertThat(result.problems()).extracting(Hl7Problem::error, Hl7Problem::location)
                .contains(org.assertj.core.groups.Tuple.tuple(NbrError.HL7_DATA_TYPE_ERROR, new Hl7Location("CON", 1, 13, 0)));
    }

    @Test
    void shouldMapMinnesotaNewbornAdtFromTheCorpusWithMotherNameInPid21() throws Exception {
        // when
        Intake result = intake.read(Files.readAllBytes(
                SharedCorpus.file("hl7/newborn_adt_a01_mn_v23_nk1_mother_father_gestational_age.hl7")));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        Patient baby = (Patient) resources(result, Patient.class).get(0);
        assertThat(baby.getIdentifierFirstRep().getSystem()).isEqualTo(MappingContext.LOCAL_AUTHORITY_BASE + "SCH/SCH");
        assertThat(baby.getBirthDateElement().getValueAsString()).isEqualTo("2023-05-04");
        assertThat(baby.getMultipleBirthBooleanType().getValue()).as("PID-24 N with PID-25 1").isFalse();
        assertThat(resources(result, RelatedPerson.class)).extracting(r -> ((RelatedPerson) r).getRelationshipFirstRep()
                .getCodingFirstRep().getCode()).containsExactly("MTH", "FTH");
        assertThat(result.problems()).extracting(Hl7Problem::location).contains(Hl7Location.field("PID", 21));
        Observation gestation = (Observation) resources(result, Observation.class).get(0);
        assertThat(gestation.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
    }

    @Test
    void shouldMapGuideExampleWithMaidenNameBirthPlaceAndMultipleBirthOrder() throws Exception {
        // when
        Intake result = intake.read(Files.readAllBytes(SharedCorpus.file("hl7/adt_a01_v251_v2tofhir_ig_test_conversion.hl7")));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        Patient patient = (Patient) resources(result, Patient.class).get(0);
        assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo("urn:oid:1.2.3.4.5");
        assertThat(patient.getName()).extracting(HumanName::getUse).containsExactly(HumanName.NameUse.OFFICIAL, HumanName.NameUse.MAIDEN);
        assertThat(patient.getExtension()).extracting(Extension::getUrl)
                .contains(PidPatientMapper.MOTHERS_MAIDEN_NAME, PidPatientMapper.BIRTH_PLACE);
        assertThat(patient.getMultipleBirthIntegerType().getValue()).isEqualTo(2);
    }

    @Test
    void shouldRejectMalformedCorpusMessagesWithTheRightCode() throws Exception {
        assertThat(read("hl7/malformed_msh_missing_msh9_message_type.hl7").ackCode()).isEqualTo(AcknowledgmentCode.AR);
        assertThat(read("hl7/malformed_msh_only_no_fields.hl7").ackCode()).isEqualTo(AcknowledgmentCode.AR);
        Intake damaged = read("hl7/malformed_adt_a01_crlf_msh2_double_backslash_literal_r.hl7");
        assertThat(damaged.ackCode()).isEqualTo(AcknowledgmentCode.AE);
        assertThat(damaged.problems()).extracting(Hl7Problem::error).contains(NbrError.HL7_DAMAGED);
        assertThat(damaged.accepted()).isFalse();
    }

    @Test
    void shouldRefuseFreeTextInBirthDateWithDataTypeError() {
        // given
        byte[] raw = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|X1|P|2.5.1\rPID|1||1^^^H^MR||DOE^BABY||born this morning|F\r"
                .getBytes();

        // when
        Intake result = intake.read(raw);

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AE);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.error()).isEqualTo(NbrError.HL7_DATA_TYPE_ERROR);
            assertThat(p.location()).isEqualTo(Hl7Location.field("PID", 7));
            assertThat(p.message()).doesNotContain("morning");
        });
    }

    @Test
    void shouldKeepIdentifierTypesOutsideTable0203AndStubOidsAsTheSendersOwn() {
        // when: CF, PK and SSN in CX-5, and an assigning authority whose universal id is the stub OID 1.2
        Intake result = intake.read(Samples.v2("adt-a04-newborn-local-identifier-types.hl7"));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        Patient newborn = (Patient) resources(result, Patient.class).get(0);
        assertThat(newborn.getIdentifier()).extracting(i -> i.getType().getCodingFirstRep().getCode()).containsExactly("MR", "CF", "PK", "SSN");
        assertThat(newborn.getIdentifier()).extracting(i -> i.getType().getCodingFirstRep().getSystem()).containsExactly(
                "http://terminology.hl7.org/CodeSystem/v2-0203",
                "https://fhir.newbornregistry.org/CodeSystem/v2-local/1.2/HL70203",
                "https://fhir.newbornregistry.org/CodeSystem/v2-local/1.2/HL70203",
                "https://fhir.newbornregistry.org/CodeSystem/v2-local/1.2/HL70203");
        assertThat(newborn.getIdentifier()).extracting(i -> i.getSystem()).containsExactly(
                "https://fhir.newbornregistry.org/sid/v2/1.2/CLINICA", "urn:oid:2.16.380.1.1",
                "https://fhir.newbornregistry.org/sid/v2/1.2/CLINICA", "urn:oid:2.16.840.1.113883.4.1");
        assertThat(result.problems()).extracting(Hl7Problem::location).containsExactly(Hl7Location.field("PID", 11));
    }

    @Test
    void shouldReadAVersion282MessageThatHapiHasNoNameFor() {
        // when
        Intake result = intake.read(new String(Samples.v2("adt-a01-newborn-twin-b.hl7"), java.nio.charset.StandardCharsets.US_ASCII)
                .replace("|P|2.5.1", "|P|2.8.2").getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(result.header().version()).isEqualTo("2.8.2");
    }

    private Intake read(String corpusFile) throws Exception {
        return intake.read(Files.readAllBytes(SharedCorpus.file(corpusFile)));
    }

    private static List<Resource> resources(Intake result, Class<? extends Resource> type) {
        return result.mapped().transaction().getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance).toList();
    }

    private static <T extends Resource> T only(Intake result, Class<T> type, String requestUrl) {
        return result.mapped().transaction().getEntry().stream()
                .filter(e -> type.isInstance(e.getResource()) && e.getRequest().getUrl().equals(requestUrl))
                .map(e -> type.cast(e.getResource())).findFirst()
                .orElseThrow(() -> new AssertionError("no entry " + requestUrl));
    }
}

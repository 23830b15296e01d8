package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.AcknowledgmentCode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.adapter.hl7.Hl7Problem;
import org.newbornregistry.conformance.NbrCanonical;
import org.newbornregistry.conformance.Samples;
import org.newbornregistry.conformance.SharedCorpus;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class LabOrderMapperTest {

    private static final String SAMPLE = "oml-o21-newborn-screening-order.hl7";
    private static final String MN = "hl7/nbs_oml_o21_mn_epic_spm_dbs_two_obr.hl7";
    private static final String VA = "hl7/nbs_oml_o21_newsteps_va_order_aoe_mojibake.hl7";
    private static final String TX = "hl7/nbs_oml_o21_tx_oracle_twin_b_pid24_pid25_null_quotes.hl7";
    private static final String ORM = "hl7/malformed_orm_o01_nbs_obx5_nm_not_numeric.hl7";
    private static final String LOINC = "http://loinc.org";
    private static final String PLAC = "PLAC";

    private final V2Intake intake = new V2Intake(ZoneId.of("America/Chicago"), Set.of("P", "T", "D"));

    @Test
    void shouldMapSampleOrderToNewbornOrderSpecimenAndAnswersLinkedByIdentifiers() {
        // when
        Intake result = intake.read(Samples.v2(SAMPLE));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(result.problems()).as("PV1 is deliberately not mapped").isEmpty();
        Bundle.BundleEntryComponent baby = entry(result, "Patient?identifier=urn%3Aoid%3A2.16.840.1.113883.19.5%7CGH0001");
        assertThat(baby.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
        assertThat(((Patient) baby.getResource()).getMultipleBirthIntegerType().getValue()).isEqualTo(2);
        String newborn = baby.getFullUrl();
        assertThat(resources(result, RelatedPerson.class)).singleElement()
                .satisfies(m -> assertThat(((RelatedPerson) m).getRelationshipFirstRep().getCodingFirstRep().getCode()).isEqualTo("MTH"));

        Bundle.BundleEntryComponent specimenEntry = entry(result, "Specimen?identifier=urn%3Aoid%3A2.16.840.1.113883.19.5.4%7CDBS24000001");
        assertThat(specimenEntry.getRequest().getMethod()).as("the hospital owns the specimen: upserted").isEqualTo(Bundle.HTTPVerb.PUT);
        Specimen specimen = (Specimen) specimenEntry.getResource();
        assertThat(specimen.getIdentifierFirstRep().getType().getCodingFirstRep().getCode()).isEqualTo(PLAC);
        assertThat(specimen.getType().getCodingFirstRep().getSystem()).isEqualTo("http://snomed.info/sct");
        assertThat(specimen.getType().getCodingFirstRep().getCode()).isEqualTo("440500007");
        assertThat(specimen.getCollection().getCollectedDateTimeType().getValueAsString()).isEqualTo("2024-05-02T08:30:00-05:00");
        assertThat(specimen.getSubject().getReference()).isEqualTo(newborn);

        Bundle.BundleEntryComponent orderEntry = entry(result, "ServiceRequest?identifier=urn%3Aoid%3A2.16.840.1.113883.19.5.3%7CNBS0001");
        ServiceRequest order = (ServiceRequest) orderEntry.getResource();
        assertThat(order.getIdentifier()).singleElement().satisfies(i -> {
            assertThat(i.getValue()).isEqualTo("NBS0001");
            assertThat(i.getType().getCodingFirstRep().getCode()).isEqualTo(PLAC);
        });
        assertThat(order.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(order.getIntent()).isEqualTo(ServiceRequest.ServiceRequestIntent.ORDER);
        assertThat(codes(order.getCode())).containsExactly(LOINC + "|54089-8");
        assertThat(order.getSubject().getReference()).isEqualTo(newborn);
        assertThat(order.getAuthoredOnElement().getValueAsString()).isEqualTo("2024-05-02T09:05:00-05:00");
        Practitioner requester = requester(result, order);
        assertThat(requester.getIdentifierFirstRep().getSystem()).isEqualTo(Participants.NPI);
        assertThat(requester.getIdentifierFirstRep().getValue()).isEqualTo("1234567893");
        assertThat(order.getRequester().getDisplay()).isEqualTo("DR MARCUS WELBY");
        assertThat(order.getSpecimen()).extracting(Reference::getReference).containsExactly(specimenEntry.getFullUrl());

        List<Observation> answers = resources(result, Observation.class).stream().map(Observation.class::cast).toList();
        assertThat(answers).extracting(o -> o.getCode().getCodingFirstRep().getCode()).containsExactly("8339-4", "57714-8", "67704-7");
        assertThat(answers).allSatisfy(o -> {
            assertThat(o.getSubject().getReference()).isEqualTo(newborn);
            assertThat(o.getBasedOn()).extracting(Reference::getReference).containsExactly(orderEntry.getFullUrl());
            assertThat(o.getSpecimen().getReference()).isEqualTo(specimenEntry.getFullUrl());
            assertThat(o.getStatus()).as("OBX-11 O").isEqualTo(Observation.ObservationStatus.FINAL);
        });
        assertThat(answers.get(0).getIdentifierFirstRep().getSystem()).isEqualTo(NbrCanonical.RESULT_KEY_SYSTEM);
        assertThat(answers.get(0).getIdentifierFirstRep().getValue()).isEqualTo("urn:oid:2.16.840.1.113883.19.5.3|NBS0001|8339-4|");
        assertThat(answers.get(0).getValueQuantity().getValue()).isEqualByComparingTo("2450");
        assertThat(answers.get(0).getValueQuantity().getCode()).isEqualTo("g");
        assertThat(answers.get(2).getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("LA16914-6");
        assertThat(result.mapped().transaction().getEntry()).filteredOn(e -> e.getResource() instanceof Observation)
                .extracting(e -> e.getRequest().getUrl())
                .allSatisfy(url -> assertThat(url).startsWith("Observation?identifier=https%3A%2F%2Ffhir.newbornregistry.org%2Fsid%2Fv2-result-key%7C"));
    }

    @Test
    void shouldLandTheOrderSampleAndTheBirthSampleOnTheSameNewbornWithoutTheBirthRecordTakingOverTheAnswers() {
        // when
        Intake order = intake.read(Samples.v2(SAMPLE));
        Intake birth = intake.read(Samples.v2("adt-a01-newborn-twin-b.hl7"));

        // then
        assertThat(requestUrls(order, Patient.class)).first().isEqualTo(requestUrls(birth, Patient.class).get(0));
        assertThat(ifNoneExists(order, Patient.class)).isEqualTo(ifNoneExists(birth, Patient.class))
                .containsExactly("identifier=urn%3Aoid%3A2.16.840.1.113883.19.5%7CGHM0099");
        assertThat(requestUrls(birth, Observation.class)).as("the birth weight of the birth record is not the answer given with the order")
                .allSatisfy(url -> assertThat(url).endsWith("&based-on:missing=true"));
    }

    @Test
    void shouldMapMinnesotaOrderWithTwoObrOfOnePlacerNumberAsOneServiceRequest() {
        // when
        Intake result = read(MN);

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(result.problems()).isEmpty();
        Bundle.BundleEntryComponent baby = entry(result,
                "Patient?identifier=https%3A%2F%2Ffhir.newbornregistry.org%2Fsid%2Fv2%2Fcentracare.com%2FCRPMRN%7C11102779");
        assertThat(resources(result, RelatedPerson.class)).extracting(r -> ((RelatedPerson) r).getRelationshipFirstRep()
                .getCodingFirstRep().getCode()).containsExactly("MTH", "FTH");

        List<Resource> orders = resources(result, ServiceRequest.class);
        assertThat(orders).as("OBR 54089-8 and OBR 57717-1 share placer 421832901").hasSize(1);
        ServiceRequest order = (ServiceRequest) orders.get(0);
        assertThat(requestUrls(result, ServiceRequest.class))
                .containsExactly("ServiceRequest?identifier=urn%3Aoid%3A1.2.840.114350.1.13.145.2.7.2.695071%7C421832901");
        assertThat(codes(order.getCode())).containsExactly(LOINC + "|54089-8");
        assertThat(order.getOrderDetail()).flatExtracting(LabOrderMapperTest::codes).containsExactly(LOINC + "|57717-1");
        assertThat(order.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(order.getAuthoredOnElement().getValueAsString()).isEqualTo("2023-05-06T05:29:13-05:00");
        assertThat(order.getRequester().getDisplay()).isEqualTo("JANE JONES");
        assertThat(requester(result, order).getIdentifierFirstRep().getValue()).isEqualTo("1265136360");

        Bundle.BundleEntryComponent specimen = entry(result,
                "Specimen?identifier=urn%3Aoid%3A1.2.840.114350.1.13.145.2.7.2.695071%7C421832901");
        assertThat(((Specimen) specimen.getResource()).getSubject().getReference()).isEqualTo(baby.getFullUrl());
        assertThat(order.getSpecimen()).extracting(Reference::getReference).containsExactly(specimen.getFullUrl());

        List<Observation> answers = resources(result, Observation.class).stream().map(Observation.class::cast).toList();
        assertThat(answers).as("the OBX after the second OBR, which HAPI puts in PRIOR_RESULT").hasSize(12);
        assertThat(answers).allSatisfy(o -> {
            assertThat(o.getBasedOnFirstRep().getReference()).isEqualTo(entry(result, requestUrls(result, ServiceRequest.class).get(0)).getFullUrl());
            assertThat(o.getSpecimen().getReference()).as("the order's only specimen").isEqualTo(specimen.getFullUrl());
        });
        assertThat(answers).extracting(o -> o.getIdentifierFirstRep().getValue()).doesNotHaveDuplicates()
                .contains("urn:oid:1.2.840.114350.1.13.145.2.7.2.695071|421832901|67704-7|1",
                        "urn:oid:1.2.840.114350.1.13.145.2.7.2.695071|421832901|67704-7|2");
        assertThat(answers.get(3).getCode().getCodingFirstRep().getSystem())
                .isEqualTo(MappingContext.LOCAL_CODE_BASE + "centracare.com/99MDH");
    }

    @Test
    void shouldMapVirginiaOrderWithMojibakeAsSentAndEveryAnswerType() {
        // when
        Intake result = read(VA);

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(result.problems()).as("DG1 deliberately not mapped; SPM-2 sent as EI components")
                .extracting(Hl7Problem::location).containsExactly(new Hl7Location("SPM", 1, 2, 0));
        ServiceRequest order = (ServiceRequest) resources(result, ServiceRequest.class).get(0);
        assertThat(requester(result, order).getIdentifierFirstRep().getSystem()).isEqualTo(Participants.NPI);
        assertThat(order.getRequester().getDisplay()).isEqualTo("Dr Frederick Rahal");
        Specimen specimen = (Specimen) resources(result, Specimen.class).get(0);
        assertThat(specimen.getIdentifierFirstRep().getValue()).isEqualTo("XXXXX");

        List<Observation> answers = resources(result, Observation.class).stream().map(Observation.class::cast).toList();
        assertThat(answers).hasSize(29).allSatisfy(o -> assertThat(o.hasSpecimen()).as("SPM sent after the OBX").isTrue());
        assertThat(answer(answers, "79566-6").getCode().getCodingFirstRep().getDisplay())
                .isEqualTo("Collection method \u00e2\u20ac\u201c Dried blood spot");
        assertThat(answer(answers, "62327-2").getValueStringType().getValue()).as("XAD").isEqualTo("5901 Lakeside Avenue Richmond VA 23228");
        assertThat(answer(answers, "62328-0").getValueStringType().getValue()).as("XTN").isEqualTo("804 2669616");
        assertThat(answer(answers, "62323-1").getValueStringType().getValue()).as("CX").isEqualTo("321");
        assertThat(answer(answers, "73806-2").getValueQuantity().getCode()).isEqualTo("h");
    }

    @Test
    void shouldMapTexasTwinBOrderWithNullQuotesAndALocalCodeLabelledLoinc() {
        // when
        Intake result = read(TX);

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(result.problems()).extracting(Hl7Problem::location)
                .containsExactly(new Hl7Location("OBX", 5, 3, 0), Hl7Location.field("NK1", 33));
        Patient baby = (Patient) resources(result, Patient.class).get(0);
        assertThat(baby.getMultipleBirthIntegerType().getValue()).as("PID-24 Y, PID-25 2").isEqualTo(2);
        assertThat(baby.getGender()).isEqualTo(Enumerations.AdministrativeGender.FEMALE);
        RelatedPerson mother = (RelatedPerson) resources(result, RelatedPerson.class).get(0);
        assertThat(mother.getIdentifier()).as("SSN 000-00-0000 is a placeholder").extracting(Identifier::getValue)
                .containsExactly("123456789");

        ServiceRequest order = (ServiceRequest) resources(result, ServiceRequest.class).get(0);
        assertThat(order.getIdentifierFirstRep().getSystem()).isEqualTo(
                MappingContext.LOCAL_AUTHORITY_BASE + "Doctors+Hospital+at+Renaissance/HNAM_ORDERID");
        assertThat(codes(order.getCode())).containsExactly(LOINC + "|57128-1");
        assertThat(order.hasRequester()).as("ORC-12 and OBR-16 carry only an authority").isFalse();
        assertThat(order.hasSpecimen()).isFalse();
        assertThat(resources(result, Specimen.class)).isEmpty();

        List<Observation> answers = resources(result, Observation.class).stream().map(Observation.class::cast).toList();
        assertThat(answers).hasSize(9);
        Coding local = answers.get(4).getCode().getCodingFirstRep();
        assertThat(local.getCode()).isEqualTo("CD:1923031955");
        assertThat(local.getSystem()).isEqualTo(MappingContext.LOCAL_CODE_BASE + "Doctors+Hospital+at+Renaissance/unnamed");
        assertThat(answers).extracting(o -> o.getIdentifierFirstRep().getValue()).doesNotHaveDuplicates();
    }

    @Test
    void shouldReportTheNonNumericValueOfTheMalformedOrmRatherThanItsMissingPid() {
        // when
        Intake result = read(ORM);

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AE);
        assertThat(result.accepted()).isFalse();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.error()).isEqualTo(NbrError.HL7_DATA_TYPE_ERROR);
            assertThat(p.location()).isEqualTo(new Hl7Location("OBX", 1, 5, 0));
            assertThat(p.message()).doesNotContain("NOVALUE");
        });
    }

    @Test
    void shouldRefuseAnOrderWithoutPidWhenItsOrderIsSound() {
        // given
        String text = SharedCorpus.text(ORM).replace("|NOVALUE|", "|1769|");

        // when
        Intake result = intake.read(text.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AE);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.error()).isEqualTo(NbrError.HL7_REQUIRED_FIELD_MISSING);
            assertThat(p.location()).isEqualTo(Hl7Location.segment("PID", 1));
        });
    }

    @Test
    void shouldMapOrmOrderWithSpecimenSourceButNoSpecimenIdToAnOrderWithoutSpecimen() {
        // given: the malformed ORM repaired (a number, a PID)
        String text = SharedCorpus.text(ORM).replace("|NOVALUE|", "|1769|")
                .replaceFirst("\n", "\nPID|1||ORM0001^^^GENERAL HOSPITAL&2.16.840.1.113883.19.5&ISO^MR||DOE^BABY^^^^^NB||20230504|M\n");

        // when
        Intake result = intake.read(text.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(result.problems()).extracting(Hl7Problem::location).containsExactly(new Hl7Location("OBR", 1, 15, 0));
        assertThat(resources(result, Specimen.class)).isEmpty();
        ServiceRequest order = (ServiceRequest) resources(result, ServiceRequest.class).get(0);
        assertThat(order.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(requester(result, order).getIdentifierFirstRep().getValue()).isEqualTo("1265136360");
        Observation weight = (Observation) resources(result, Observation.class).get(0);
        assertThat(weight.getValueQuantity().getValue()).isEqualByComparingTo("1769");
        assertThat(weight.hasSpecimen()).isFalse();
    }

    @Test
    void shouldGiveAnObrWithoutOwnOrcAndPlacerNumberToTheOrderBeforeIt() {
        // given: a card-data OBR after the SPM, with neither ORC nor OBR-2
        String text = sample() + "OBR|2|||57717-1^Newborn screen card data panel^LN\r"
                + "OBX|4|ST|57723-9^Unique bar code number of Current sample^LN||24000001||||||O\r";

        // when
        Intake result = intake.read(text.getBytes(StandardCharsets.US_ASCII));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        List<Resource> orders = resources(result, ServiceRequest.class);
        assertThat(orders).hasSize(1);
        assertThat(((ServiceRequest) orders.get(0)).getOrderDetail()).flatExtracting(LabOrderMapperTest::codes)
                .containsExactly(LOINC + "|57717-1");
        assertThat(resources(result, Observation.class)).hasSize(4)
                .allSatisfy(o -> assertThat(((Observation) o).getSpecimen().hasReference()).isTrue());
    }

    @Test
    void shouldLinkEveryOrderOfOneCardToItsOnlySpecimen() {
        // given: a second order (own ORC, own placer number) after the SPM of the first
        String text = sample() + "ORC|NW|NBS0002^GENERAL HOSPITAL^2.16.840.1.113883.19.5.3^ISO\r"
                + "OBR|1|NBS0002^GENERAL HOSPITAL^2.16.840.1.113883.19.5.3^ISO||57717-1^Newborn screen card data panel^LN\r";

        // when
        Intake result = intake.read(text.getBytes(StandardCharsets.US_ASCII));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        String specimen = entry(result, "Specimen?identifier=urn%3Aoid%3A2.16.840.1.113883.19.5.4%7CDBS24000001").getFullUrl();
        assertThat(resources(result, Specimen.class)).hasSize(1);
        assertThat(resources(result, ServiceRequest.class)).hasSize(2).allSatisfy(r -> assertThat(((ServiceRequest) r).getSpecimen())
                .extracting(Reference::getReference).containsExactly(specimen));
    }

    @Test
    void shouldRefuseAnOrderWithoutPlacerNumber() {
        // given
        String text = sample().replace("NBS0001^GENERAL HOSPITAL^2.16.840.1.113883.19.5.3^ISO", "");

        // when
        Intake result = intake.read(text.getBytes(StandardCharsets.US_ASCII));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AE);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.error()).isEqualTo(NbrError.HL7_REQUIRED_FIELD_MISSING);
            assertThat(p.location()).isEqualTo(new Hl7Location("OBR", 1, 2, 0));
        });
    }

    @ParameterizedTest(name = "ORC-1 {0}, ORC-5 {1} -> {2}")
    @CsvSource({
            "NW, '', ACTIVE",
            "CA, '', REVOKED",
            "OC, '', REVOKED",
            "DC, '', REVOKED",
            "HR, '', ONHOLD",
            "XO, '', UNKNOWN",
            "SC, CM, COMPLETED",
            "SC, HD, ONHOLD",
            "SC, ER, ENTEREDINERROR"
    })
    void shouldTakeTheOrderStatusFromOrc5ElseOrc1(String control, String status, ServiceRequest.ServiceRequestStatus expected) {
        // given
        String text = sample().replace("ORC|NW|NBS0001^GENERAL HOSPITAL^2.16.840.1.113883.19.5.3^ISO|||",
                "ORC|" + control + "|NBS0001^GENERAL HOSPITAL^2.16.840.1.113883.19.5.3^ISO|||" + status);

        // when
        Intake result = intake.read(text.getBytes(StandardCharsets.US_ASCII));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(((ServiceRequest) resources(result, ServiceRequest.class).get(0)).getStatus()).isEqualTo(expected);
        assertThat(result.problems()).extracting(Hl7Problem::location)
                .containsExactlyElementsOf(expected == ServiceRequest.ServiceRequestStatus.UNKNOWN
                        ? List.of(new Hl7Location("ORC", 1, 1, 0)) : List.of());
    }

    @Test
    void shouldRefuseAnOrderControlCodeOutsideTable0119() {
        // given
        String text = sample().replace("ORC|NW|", "ORC|ZZ|");

        // when
        Intake result = intake.read(text.getBytes(StandardCharsets.US_ASCII));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AE);
        assertThat(result.problems()).extracting(Hl7Problem::error, Hl7Problem::location)
                .containsExactly(tuple(NbrError.HL7_TABLE_VALUE_NOT_FOUND, new Hl7Location("ORC", 1, 1, 0)));
    }

    @Test
    void shouldKeepRepeatedAnswersApartNotesWithThemAndWarnAboutUnknownSegments() {
        // given: OBX 1 sent twice with the same code and no sub-id, a note after it, a Z-segment at the end
        String weight = segment("OBX|1|");
        String text = sample().replace(weight + "\r", weight + "\r" + weight + "\rNTE|1||weighed twice\r") + "ZNB|1|x\r";

        // when
        Intake result = intake.read(text.getBytes(StandardCharsets.US_ASCII));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(result.problems()).extracting(Hl7Problem::location).containsExactly(Hl7Location.segment("ZNB", 1));
        List<Observation> answers = resources(result, Observation.class).stream().map(Observation.class::cast).toList();
        assertThat(answers).extracting(o -> o.getIdentifierFirstRep().getValue()).containsExactly(
                "urn:oid:2.16.840.1.113883.19.5.3|NBS0001|8339-4|",
                "urn:oid:2.16.840.1.113883.19.5.3|NBS0001|8339-4|#2",
                "urn:oid:2.16.840.1.113883.19.5.3|NBS0001|57714-8|",
                "urn:oid:2.16.840.1.113883.19.5.3|NBS0001|67704-7|");
        assertThat(answers.get(0).hasNote()).isFalse();
        assertThat(answers.get(1).getNoteFirstRep().getText()).isEqualTo("weighed twice");
    }

    @Test
    void shouldReadAnswersWithoutValueTypeAsTextWithAWarningAtTheirObx2() {
        // when: ask-at-order-entry answers with OBX-2 empty, which HAPI's parser refuses by default
        Intake result = intake.read(Samples.v2("oml-o21-newborn-screening-order-untyped-answers.hl7"));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(result.problems()).filteredOn(p -> p.location().field() == 2 && p.location().segment().equals("OBX"))
                .extracting(Hl7Problem::location)
                .containsExactly(new Hl7Location("OBX", 1, 2, 0), new Hl7Location("OBX", 3, 2, 0));
        List<Observation> answers = resources(result, Observation.class).stream().map(Observation.class::cast).toList();
        assertThat(answer(answers, "8339-4").getValueStringType().getValue()).isEqualTo("2450");
        assertThat(answer(answers, "67704-7").getValueStringType().getValue()).startsWith("LA16914-6");
        assertThat(answer(answers, "57714-8").getValueQuantity().getValue()).isEqualByComparingTo("35");
    }

    @Test
    void shouldReadASecondComponentSharedBySeveralSpecimensAsTheNamespaceOfTheirIds() {
        // when: SPM-2 sent as id^namespace in two SPM, so that the "filler id" would be the same for both
        Intake result = intake.read(Samples.v2("oml-o21-newborn-screening-order-untyped-answers.hl7"));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        List<Specimen> specimens = resources(result, Specimen.class).stream().map(Specimen.class::cast).toList();
        assertThat(specimens).hasSize(2).allSatisfy(s -> assertThat(s.getIdentifier()).singleElement()
                .satisfies(i -> assertThat(i.getType().getCodingFirstRep().getCode()).isEqualTo(PLAC)));
        assertThat(specimens).extracting(s -> s.getIdentifierFirstRep().getValue()).containsExactly("DBS24000041", "DBS24000042");
        assertThat(specimens).extracting(s -> s.getIdentifierFirstRep().getSystem()).allMatch(system -> system.endsWith("/GENERAL+HOSPITAL"));
        assertThat(result.problems()).filteredOn(p -> p.location().segment().equals("SPM")).extracting(Hl7Problem::location)
                .containsExactly(new Hl7Location("SPM", 1, 2, 0), new Hl7Location("SPM", 2, 2, 0));
    }

    @Test
    void shouldKeepAPlacerAndFillerPairWhenOnlyOneSpecimenIsSent() {
        // when
        Intake result = intake.read(Samples.v2("oru-r01-str-genotype.hl7"));

        // then
        assertThat(resources(result, Specimen.class)).singleElement().satisfies(s -> assertThat(((Specimen) s).getIdentifier())
                .extracting(i -> i.getType().getCodingFirstRep().getCode()).containsExactly(PLAC, "FILL"));
    }

    private Intake read(String corpusFile) {
        return intake.read(SharedCorpus.text(corpusFile).getBytes(StandardCharsets.UTF_8));
    }

    private static String sample() {
        return new String(Samples.v2(SAMPLE), StandardCharsets.US_ASCII);
    }

    private static String segment(String start) {
        return Arrays.stream(sample().split("\r")).filter(s -> s.startsWith(start)).findFirst().orElseThrow();
    }

    private static List<String> codes(CodeableConcept concept) {
        return concept.getCoding().stream().map(c -> c.getSystem() + "|" + c.getCode()).toList();
    }

    private static Observation answer(List<Observation> answers, String loinc) {
        return answers.stream().filter(o -> loinc.equals(o.getCode().getCodingFirstRep().getCode())).findFirst()
                .orElseThrow(() -> new AssertionError("no answer " + loinc));
    }

    private static List<Resource> resources(Intake result, Class<? extends Resource> type) {
        return result.mapped().transaction().getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance).toList();
    }

    private static List<String> requestUrls(Intake result, Class<? extends Resource> type) {
        return result.mapped().transaction().getEntry().stream()
                .filter(e -> type.isInstance(e.getResource()) && e.getRequest().getMethod() == Bundle.HTTPVerb.PUT)
                .map(e -> e.getRequest().getUrl()).toList();
    }

    private static List<String> ifNoneExists(Intake result, Class<? extends Resource> type) {
        return result.mapped().transaction().getEntry().stream()
                .filter(e -> type.isInstance(e.getResource()) && e.getRequest().hasIfNoneExist())
                .map(e -> e.getRequest().getIfNoneExist()).toList();
    }

    private static Bundle.BundleEntryComponent entry(Intake result, String requestUrl) {
        return result.mapped().transaction().getEntry().stream()
                .filter(e -> requestUrl.equals(e.getRequest().getUrl())).findFirst()
                .orElseThrow(() -> new AssertionError("no entry " + requestUrl));
    }

    /** The Practitioner an order's requester refers to, created if absent in the same transaction. */
    private static Practitioner requester(Intake result, ServiceRequest order) {
        Bundle.BundleEntryComponent entry = result.mapped().transaction().getEntry().stream()
                .filter(e -> e.getFullUrl().equals(order.getRequester().getReference())).findFirst().orElseThrow();
        assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
        return (Practitioner) entry.getResource();
    }
}

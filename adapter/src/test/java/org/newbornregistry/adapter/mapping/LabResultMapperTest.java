package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.AcknowledgmentCode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
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
import java.nio.file.Files;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class LabResultMapperTest {

    private static final String STR_SAMPLE = "oru-r01-str-genotype.hl7";

    private final V2Intake intake = new V2Intake(ZoneId.of("America/Chicago"), Set.of("P", "T", "D"));

    @Test
    void shouldMapStrResultToOneGenotypeObservationKeepingAllelesAsStrings() {
        // when
        Intake result = intake.read(Samples.v2(STR_SAMPLE));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(result.problems()).isEmpty();
        Bundle.BundleEntryComponent patient = entries(result, Patient.class).get(0);
        assertThat(patient.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
        assertThat(patient.getRequest().getIfNoneExist()).isEqualTo("identifier=urn%3Aoid%3A2.16.840.1.113883.19.5%7CGH0001");

        Observation genotype = (Observation) only(result, Observation.class);
        assertThat(genotype.getCode().getCodingFirstRep().getCode()).isEqualTo("84413-4");
        assertThat(genotype.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
        assertThat(genotype.getMethod().getCodingFirstRep().getCode()).isEqualTo("GlobalFiler");
        assertThat(genotype.getSubject().getReference()).isEqualTo(patient.getFullUrl());
        Map<String, String> alleles = genotype.getComponent().stream().collect(Collectors.toMap(
                c -> c.getCode().getCodingFirstRep().getCode(), c -> c.getValueStringType().getValue()));
        assertThat(alleles).hasSize(21)
                .containsEntry("TH01", "6,9.3")
                .containsEntry("TPOX", "8")
                .containsEntry("D21S11", "29,30.2")
                .containsEntry("Amelogenin", "X")
                .containsEntry("vWA", "16,18");
        assertThat(genotype.getComponentFirstRep().getCode().getCodingFirstRep().getSystem())
                .isEqualTo(NbrCanonical.STR_LOCUS_SYSTEM);

        DiagnosticReport report = (DiagnosticReport) only(result, DiagnosticReport.class);
        assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        assertThat(report.getIdentifier()).extracting(Identifier::getUse)
                .containsExactly(Identifier.IdentifierUse.USUAL, Identifier.IdentifierUse.SECONDARY);
        assertThat(report.getIdentifier().get(1).getValue()).isEqualTo("STR-24-0001");
        assertThat(report.getResultFirstRep().getReference()).isEqualTo(entries(result, Observation.class).get(0).getFullUrl());

        Specimen specimen = (Specimen) only(result, Specimen.class);
        assertThat(specimen.getIdentifier()).extracting(Identifier::getValue).containsExactly("DBS24000001", "STR-24-0001-S");
        assertThat(specimen.getSubject().getReference()).isEqualTo(patient.getFullUrl());
        assertThat(genotype.getSpecimen().getReference()).isEqualTo(entries(result, Specimen.class).get(0).getFullUrl());
        assertThat(((ServiceRequest) only(result, ServiceRequest.class)).getIdentifierFirstRep().getValue()).isEqualTo("NBS0001");
    }

    @Test
    void shouldLinkResultThroughTheSpecimenWhenTheLabSendsNoPatient() {
        // given
        String withoutPid = sample().replaceAll("PID\\|[^\r]*\r", "");

        // when
        Intake result = intake.read(withoutPid.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(resources(result, Patient.class)).isEmpty();
        assertThat(resources(result, ServiceRequest.class)).as("an order needs a subject; referred to by placer number").isEmpty();
        Specimen specimen = (Specimen) only(result, Specimen.class);
        assertThat(specimen.hasSubject()).isFalse();
        Observation genotype = (Observation) only(result, Observation.class);
        assertThat(genotype.hasSubject()).isFalse();
        assertThat(genotype.getSpecimen().getReference()).startsWith("urn:uuid:");
        assertThat(genotype.getBasedOnFirstRep().getIdentifier().getValue()).isEqualTo("NBS0001");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "unknown locus; D22S1045^D22S1045^99NBRSTR||15~16; F13A01^F13A01^99NBRSTR||15~16; NBR-5009; OBX; 21; 3",
            "two decimals; ||6~9.3|; ||6~9.33|; NBR-5008; OBX; 12; 5",
            "comma inside one allele; ||6~9.3|; ||6,9.3|; NBR-5008; OBX; 12; 5",
            "four alleles; ||8|; ||8~9~10~11|; NBR-5008; OBX; 13; 5",
            "letters at a repeat locus; ||16~18|; ||16~Q|; NBR-5008; OBX; 14; 5",
            "Amelogenin not X or Y; AMEL^Amelogenin^99NBRSTR||X; AMEL^Amelogenin^99NBRSTR||12; NBR-5008; OBX; 1; 5",
            "alleles typed as numbers; OBX|12|ST|; OBX|12|NM|; NBR-5008; OBX; 12; 2",
            "locus twice; D22S1045^D22S1045^99NBRSTR; TH01^TH01^99NBRSTR; NBR-5008; OBX; 21; 3",
    })
    void shouldRefuseBadGenotypesWithTheLocationAndWithoutTheValue(String name, String sent, String damaged, String code,
                                                                   String segment, int occurrence, int field) {
        // given
        String message = sample();
        assertThat(message).contains(sent);
        message = message.replace(sent, damaged);

        // when
        Intake result = intake.read(message.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AE);
        Hl7Problem problem = result.problems().get(result.problems().size() - 1);
        assertThat(problem.error().code()).isEqualTo(code);
        assertThat(problem.location()).isEqualTo(new Hl7Location(segment, occurrence, field, 0));
        assertThat(problem.message()).doesNotContain("9.33", "6,9.3", "16~Q", "8~9~10~11");
    }

    @Test
    void shouldRefuseWithAeAResultNoneOfWhoseSegmentsStandWhereTheStructureHasThem() {
        // given: the genotype's segments after MSH in reverse order (found by V2IntakeFuzzTest)
        List<String> segments = new ArrayList<>(List.of(sample().split("\r")));
        Collections.reverse(segments.subList(1, segments.size()));
        String scrambled = String.join("\r", segments) + "\r";

        // when
        Intake result = intake.read(scrambled.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AE);
        assertThat(result.problems().get(0).error().code()).isEqualTo("NBR-5006");
        assertThat(result.problems().get(0).location()).isEqualTo(Hl7Location.segment("MSH", 1));
    }

    @Test
    void shouldLeaveOutALocusWithoutAllelesAndSayTheProfileIsPartial() {
        // when
        Intake result = intake.read(sample().replace("||13~14.2|", "|||").getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(((Observation) only(result, Observation.class)).getComponent()).hasSize(20);
        assertThat(result.problems()).extracting(Hl7Problem::location).containsExactly(new Hl7Location("OBX", 20, 5, 0));
    }

    @Test
    void shouldKeepTheResultsAndWarnWhenAnEncapsulatedReportIsNotValidBase64() {
        // given: the sample's PDF summary with data that is not Base64 (found by V2IntakeFuzzTest)
        String sample = new String(Samples.v2("oru-r01-newborn-screening-unsatisfactory.hl7"), StandardCharsets.US_ASCII);
        byte[] damaged = sample.replace("^Base64^JVBERi0xLjQKJcK1wrYKCg==|", "^Base64^JVBERi0x*LjQ|").getBytes(StandardCharsets.US_ASCII);

        // when
        Intake result = intake.read(damaged);

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(resources(result, DiagnosticReport.class)).allSatisfy(r -> assertThat(((DiagnosticReport) r).hasPresentedForm()).isFalse());
        assertThat(result.problems()).filteredOn(p -> new Hl7Location("OBX", 3, 5, 0).equals(p.location()))
                .extracting(Hl7Problem::message).containsExactly("an encapsulated document whose data is not valid Base64; not kept");
    }

    @Test
    void shouldMapAlabamaScreeningResultThroughItsSpecimenWithOneReportPerPanel() throws Exception {
        // when
        Intake result = intake.read(Files.readAllBytes(SharedCorpus.file("hl7/nbs_oru_r01_al_specimen_unsatisfactory_ed_pdf.hl7")));

        // then: the MRN's authority is a bare local name, so the lab's result reaches the newborn by the specimen
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(resources(result, Patient.class)).isEmpty();
        Specimen specimen = (Specimen) only(result, Specimen.class);
        assertThat(specimen.getIdentifier()).extracting(Identifier::getSystem)
                .containsExactly("urn:oid:1.2.840.114350.1.13.145.2.7.2.695071", "urn:oid:2.16.840.1.114222.4.1.10080");
        assertThat(specimen.getType().getCodingFirstRep().getCode()).isEqualTo("440500007");
        assertThat(specimen.getReceivedTimeElement().getValueAsString()).isEqualTo("2023-06-05T10:23:00-05:00");

        List<Resource> reports = resources(result, DiagnosticReport.class);
        assertThat(reports).hasSize(14);
        assertThat(reports).allSatisfy(r -> assertThat(((DiagnosticReport) r).getSpecimenFirstRep().getReference())
                .isEqualTo(entries(result, Specimen.class).get(0).getFullUrl()));
        assertThat(resources(result, Observation.class)).as("the ED summary is a presented form, not an observation").hasSize(29);
        Set<String> keys = resources(result, Observation.class).stream()
                .map(o -> ((Observation) o).getIdentifierFirstRep().getValue()).collect(Collectors.toSet());
        assertThat(keys).as("five conditions-tested OBX share code and sub-id").hasSize(29);
        assertThat(result.problems()).extracting(Hl7Problem::location).containsExactly(new Hl7Location("OBX", 9, 5, 0));
    }

    @Test
    void shouldMapVirginiaFullPanelWithImpossibleDatesAndDamagedNumbersAsWarnings() throws Exception {
        // when
        Intake result = intake.read(Files.readAllBytes(SharedCorpus.file("hl7/nbs_oru_r01_newsteps_va_full_panel_escapes.hl7")));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(resources(result, Patient.class)).as("2.16.840.1.114222.XXX is no OID: the MRN is local, linked by specimen").isEmpty();
        assertThat(resources(result, DiagnosticReport.class)).hasSize(13);
        assertThat(resources(result, Observation.class)).hasSize(131);
        assertThat(result.problems()).extracting(Hl7Problem::location)
                .contains(new Hl7Location("OBX", 94, 5, 0), new Hl7Location("OBX", 117, 5, 0), new Hl7Location("OBR", 1, 22, 0));
        Quantity lessThan = resources(result, Observation.class).stream().map(o -> (Observation) o)
                .filter(o -> o.hasValueQuantity() && o.getValueQuantity().hasComparator())
                .findFirst().orElseThrow().getValueQuantity();
        assertThat(lessThan.getComparator()).isEqualTo(Quantity.QuantityComparator.LESS_THAN);
        assertThat(lessThan.getValue()).isEqualByComparingTo("2.22");
    }

    @Test
    void shouldRefuseCaliforniaResultWithFifteenDigitObservationTime() throws Exception {
        // when
        Intake result = intake.read(Files.readAllBytes(SharedCorpus.file("hl7/nbs_oru_r01_cdph_cah_bad_obx14_local_only_code.hl7")));

        // then
        assertThat(result.ackCode()).isEqualTo(AcknowledgmentCode.AE);
        assertThat(result.problems()).extracting(p -> p.error(), Hl7Problem::location)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(NbrError.HL7_DATA_TYPE_ERROR, new Hl7Location("OBX", 4, 14, 0)));
    }

    private static String sample() {
        return new String(Samples.v2(STR_SAMPLE), StandardCharsets.UTF_8);
    }

    private static List<Bundle.BundleEntryComponent> entries(Intake result, Class<? extends Resource> type) {
        return result.mapped().transaction().getEntry().stream().filter(e -> type.isInstance(e.getResource())).toList();
    }

    private static List<Resource> resources(Intake result, Class<? extends Resource> type) {
        return entries(result, type).stream().map(Bundle.BundleEntryComponent::getResource).toList();
    }

    private static Resource only(Intake result, Class<? extends Resource> type) {
        List<Resource> found = resources(result, type);
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }
}

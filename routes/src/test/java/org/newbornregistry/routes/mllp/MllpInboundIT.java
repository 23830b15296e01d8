package org.newbornregistry.routes.mllp;

import org.newbornregistry.fhir.TestTokens;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import java.util.Map;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.Arguments;
import org.newbornregistry.cli.CliRun;
import org.newbornregistry.cli.ExitCode;
import org.newbornregistry.fhir.security.Role;
import org.newbornregistry.conformance.ScreeningOrder;
import org.newbornregistry.conformance.StrResult;
import org.newbornregistry.conformance.TwinBirth;
import org.newbornregistry.conformance.FhirExamples;
import org.newbornregistry.conformance.Samples;
import org.newbornregistry.conformance.SharedCorpus;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** HL7 v2 over a real MLLP socket into the whole application. */
@ExtendWith(OutputCaptureExtension.class)
class MllpInboundIT extends MllpListenerTestSupport {

    @LocalServerPort
    int httpPort;

    @org.springframework.beans.factory.annotation.Autowired
    org.apache.camel.CamelContext camel;

    @Test
    void shouldUseTheMllpComponentThatProcessesPipelinedFrames() {
        assertThat(camel.getComponent("mllp")).isInstanceOf(PipeliningMllpComponent.class);
        assertThat(camel.getRoute(MllpInboundRoute.ROUTE_ID).getEndpoint())
                .isInstanceOf(PipeliningMllpComponent.PipeliningEndpoint.class);
    }

    @Test
    void shouldAcknowledgeBirthAfterCommitAndServeTheNewbornOverFhir() throws Exception {
        // given
        String birth = uniqueBirth();

        // when
        String ack;
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            ack = client.send(ascii(birth));
        }

        // then
        assertThat(ack).contains("\rMSA|AA|" + controlId(birth));
        Bundle found = fhir().search().byUrl("Patient?identifier=urn:oid:2.16.840.1.113883.19.5|" + mrn(birth))
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).hasSize(1);
    }

    @Test
    void shouldProcessEveryFramePipelinedInOneWriteInOrder() throws Exception {
        // given
        String first = uniqueBirth();
        String second = uniqueBirth();
        String third = uniqueBirth();

        // when
        List<String> acks = new ArrayList<>();
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            client.writeAll(ascii(first), ascii(second), ascii(third));
            for (int i = 0; i < 3; i++) {
                acks.add(client.readAck());
            }
        }

        // then
        assertThat(acks).extracting(ack -> ack.split("\r")[1])
                .containsExactly("MSA|AA|" + controlId(first), "MSA|AA|" + controlId(second), "MSA|AA|" + controlId(third));
    }

    @Test
    void shouldAnswerResendWithTheSameAckOnAnotherConnection() throws Exception {
        // given
        String birth = uniqueBirth();
        String firstAck;
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            firstAck = client.send(ascii(birth));
        }

        // when
        String secondAck;
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            secondAck = client.send(ascii(birth));
        }

        // then
        assertThat(secondAck).isEqualTo(firstAck);
    }

    @Test
    void shouldShowAMessageReceivedOverMllpInTheAdminApiAndReplayIt() throws Exception {
        // given
        String birth = uniqueBirth();
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            client.send(ascii(birth));
        }
        HttpClient http = TestTokens.http();
        String admin = "http://localhost:" + httpPort + "/admin/hl7/messages";

        // when
        HttpResponse<String> listed = http.send(HttpRequest.newBuilder(URI.create(admin + "?controlId=" + controlId(birth)))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode message = new ObjectMapper().readTree(listed.body()).get("messages").get(0);
        HttpResponse<String> replayed = http.send(HttpRequest.newBuilder(
                        URI.create(admin + "/" + message.get("id").asLong() + "/$replay"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(message.get("controlId").asText()).isEqualTo(controlId(birth));
        assertThat(message.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(replayed.statusCode()).isEqualTo(200);
        JsonNode replay = new ObjectMapper().readTree(replayed.body());
        assertThat(replay.get("after").get("ackCode").asText()).isEqualTo("AA");
        assertThat(replay.get("replayCount").asInt()).isEqualTo(1);
        Bundle found = fhir().search().byUrl("Patient?identifier=urn:oid:2.16.840.1.113883.19.5|" + mrn(birth))
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).hasSize(1);
    }

    /**
     * What each corpus message must get: AA, or the ACK code and the registry error code of its
     * first ERR. A corpus file missing from this list fails the test, so that a new one is looked at.
     */
    private static final Map<String, String> CORPUS_EXPECTED = Map.ofEntries(
            Map.entry("adt_a01_v251_v2tofhir_ig_test_conversion.hl7", "AA"),
            Map.entry("adt_a04_v23_utf8_bom_before_msh.hl7", "AA"),
            Map.entry("malformed_adt_a01_crlf_msh2_double_backslash_literal_r.hl7", "AE NBR-5006"),
            Map.entry("malformed_msh_missing_msh9_message_type.hl7", "AR NBR-5001"),
            Map.entry("malformed_msh_only_no_fields.hl7", "AR NBR-5001"),
            Map.entry("malformed_orm_o01_nbs_obx5_nm_not_numeric.hl7", "AE NBR-5008"),
            Map.entry("nbs_oml_o21_mn_epic_spm_dbs_two_obr.hl7", "AA"),
            Map.entry("nbs_oml_o21_newsteps_va_order_aoe_mojibake.hl7", "AA"),
            Map.entry("nbs_oml_o21_tx_oracle_twin_b_pid24_pid25_null_quotes.hl7", "AA"),
            Map.entry("nbs_oru_r01_al_specimen_unsatisfactory_ed_pdf.hl7", "AA"),
            Map.entry("nbs_oru_r01_cdph_cah_bad_obx14_local_only_code.hl7", "AE NBR-5008"),
            Map.entry("nbs_oru_r01_newsteps_va_full_panel_escapes.hl7", "AA"),
            Map.entry("newborn_adt_a01_mn_v23_nk1_mother_father_gestational_age.hl7", "AA"));

    static Stream<Arguments> corpusMessages() {
        return SharedCorpus.files("hl7").stream()
                .flatMap(file -> Stream.of("CR", "LF").map(separator -> Arguments.of(file, separator)));
    }

    @ParameterizedTest(name = "{0} sent with {1} separators")
    @MethodSource("corpusMessages")
    void shouldAnswerEachCorpusMessageAndKeepTheConnectionUsable(String file, String separator) throws Exception {
        // given: bytes kept as they are (ISO-8859-1 maps each byte to one char), separators set,
        // control ids made unique so that reruns against one database are not resends
        String expected = CORPUS_EXPECTED.get(file);
        assertThat(expected).as("expected answer for corpus file %s", file).isNotNull();
        String text = new String(Files.readAllBytes(SharedCorpus.file("hl7/" + file)), StandardCharsets.ISO_8859_1)
                .replace("\r\n", "\n").replace('\r', '\n');
        text = text.replaceFirst("(\\|[A-Z]{3}\\^[A-Z]\\d\\d[^|]*\\|)([^|]*)", "$1$2-" + UUID.randomUUID().toString().substring(0, 6));
        String separated = "LF".equals(separator) ? text : text.replace('\n', '\r');

        // when
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            String ack = client.send(separated.getBytes(StandardCharsets.ISO_8859_1));
            String next = client.send(ascii(uniqueBirth()));

            // then
            String[] answer = expected.split(" ");
            assertThat(ack.split("\r")[1]).startsWith("MSA|" + answer[0] + "|");
            if (answer.length > 1) {
                assertThat(ack).as("ERR with the registry's code").contains("\rERR|").contains(answer[1]);
            }
            assertThat(next.split("\r")[1]).startsWith("MSA|AA|");
        }
    }

    @Test
    void shouldLinkAGenotypeThatArrivesBeforeTheBirthRecordToTheNewborn() throws Exception {
        // given
        TwinBirth birth = TwinBirth.unique();
        StrResult genotype = StrResult.forNewborn(birth.mrn());

        // when
        String genotypeAck;
        String birthAck;
        String resendAck;
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            genotypeAck = client.send(genotype.bytes());
            birthAck = client.send(birth.bytes());
            resendAck = client.send(genotype.bytes());
        }

        // then
        assertThat(genotypeAck).contains("\rMSA|AA|" + genotype.controlId());
        assertThat(birthAck).contains("\rMSA|AA|" + birth.controlId());
        assertThat(resendAck).isEqualTo(genotypeAck);
        Bundle newborns = fhir().search().byUrl("Patient?identifier=" + TwinBirth.MRN_SYSTEM + "|" + birth.mrn())
                .returnBundle(Bundle.class).execute();
        assertThat(newborns.getEntry()).hasSize(1);
        Patient newborn = (Patient) newborns.getEntryFirstRep().getResource();
        assertThat(newborn.hasMultipleBirth()).as("the birth record updated the patient the result created").isTrue();
        Bundle genotypes = fhir().search().byUrl("Observation?subject=Patient/" + newborn.getIdPart()
                + "&code=http://loinc.org|84413-4").returnBundle(Bundle.class).execute();
        assertThat(genotypes.getEntry()).hasSize(1);
        assertThat(((Observation) genotypes.getEntryFirstRep().getResource()).getComponent()).hasSize(21);
    }

    @Test
    void shouldLinkAGenotypeThatKnowsOnlyTheBloodSpotOnceTheHospitalsOrderArrives() throws Exception {
        // given: the lab's result names no patient, only the blood spot; the order comes later
        TwinBirth birth = TwinBirth.unique();
        StrResult genotype = StrResult.forNewborn(birth.mrn()).withoutPatient();
        ScreeningOrder order = ScreeningOrder.of(birth, genotype);

        // when
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            assertThat(client.send(genotype.bytes())).contains("\rMSA|AA|" + genotype.controlId());
            assertThat(client.send(order.bytes())).contains("\rMSA|AA|" + order.controlId());
            assertThat(client.send(birth.bytes())).contains("\rMSA|AA|" + birth.controlId());
        }

        // then
        Patient newborn = onlyPatient(birth.mrn());
        Bundle spots = fhir().search().byUrl("Specimen?identifier=urn:oid:2.16.840.1.113883.19.5.4|" + genotype.specimenId())
                .returnBundle(Bundle.class).execute();
        assertThat(spots.getEntry()).hasSize(1);
        Specimen spot = (Specimen) spots.getEntryFirstRep().getResource();
        assertThat(spot.getSubject().getReference()).isEqualTo("Patient/" + newborn.getIdPart());
        Bundle genotypes = fhir().search().byUrl("Observation?specimen=Specimen/" + spot.getIdPart()
                + "&code=http://loinc.org|84413-4").returnBundle(Bundle.class).execute();
        assertThat(genotypes.getEntry()).hasSize(1);
        Bundle orders = fhir().search().byUrl("ServiceRequest?identifier=urn:oid:2.16.840.1.113883.19.5.3|" + genotype.placer())
                .returnBundle(Bundle.class).execute();
        assertThat(orders.getEntry()).as("one order, the hospital's").hasSize(1);
        assertThat(((ServiceRequest) orders.getEntryFirstRep().getResource()).getSubject().getReference())
                .isEqualTo("Patient/" + newborn.getIdPart());
    }

    @Test
    void shouldKeepOnePractitionerAndOneLabHoweverManyResultsNameThem() throws Exception {
        // given: two newborns' results, each naming the same ordering provider (by NPI) and lab
        List<StrResult> results = List.of(StrResult.forNewborn(TwinBirth.unique().mrn()),
                StrResult.forNewborn(TwinBirth.unique().mrn()));

        // when
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            for (StrResult result : results) {
                assertThat(client.send(result.bytes())).contains("\rMSA|AA|" + result.controlId());
            }
        }

        // then
        assertThat(fhir().search().byUrl("Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|1234567893")
                .returnBundle(Bundle.class).execute().getEntry()).hasSize(1);
        assertThat(fhir().search().byUrl("Organization?identifier=77001")
                .returnBundle(Bundle.class).execute().getEntry()).hasSize(1);
    }

    @Test
    void shouldKeepTwinsApartAndTheirMotherOne() throws Exception {
        // given
        TwinBirth twinB = TwinBirth.unique();
        TwinBirth twinA = twinB.sibling();

        // when
        String ackB;
        String ackA;
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            ackB = client.send(twinB.bytes());
            ackA = client.send(twinA.bytes());
        }

        // then
        assertThat(ackB).contains("\rMSA|AA|" + twinB.controlId());
        assertThat(ackA).contains("\rMSA|AA|" + twinA.controlId());
        Bundle mother = fhir().search().byUrl("Patient?identifier=" + TwinBirth.MRN_SYSTEM + "|" + twinB.motherMrn())
                .returnBundle(Bundle.class).execute();
        assertThat(mother.getEntry()).as("the mother is one Patient").hasSize(1);
        Bundle motherOf = fhir().search().byUrl("RelatedPerson?identifier=" + TwinBirth.MRN_SYSTEM + "|" + twinB.motherMrn())
                .returnBundle(Bundle.class).execute();
        assertThat(motherOf.getEntry()).as("she is the mother of each twin").hasSize(2);
        for (TwinBirth twin : List.of(twinA, twinB)) {
            Bundle newborn = fhir().search().byUrl("Patient?identifier=" + TwinBirth.MRN_SYSTEM + "|" + twin.mrn())
                    .returnBundle(Bundle.class).execute();
            assertThat(newborn.getEntry()).hasSize(1);
            assertThat(((Patient) newborn.getEntryFirstRep().getResource()).getMultipleBirthIntegerType().getValue())
                    .isEqualTo(twin == twinA ? 1 : 2);
        }
    }

    @Test
    void shouldMergeADuplicateNewbornIntoTheSurvivor() throws Exception {
        // given: the same baby registered twice, then merged
        TwinBirth survivor = TwinBirth.unique();
        TwinBirth duplicate = TwinBirth.unique();
        String merge = new String(Samples.v2("adt-a40-merge-duplicate-newborn.hl7"), StandardCharsets.US_ASCII)
                .replace("NBR-SAMPLE-MERGE-0001", "M" + survivor.controlId())
                .replace("GH0001^", survivor.mrn() + "^")
                .replace("GH0002^", duplicate.mrn() + "^");

        // when
        String mergeAck;
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            client.send(survivor.bytes());
            client.send(duplicate.bytes());
            mergeAck = client.send(ascii(merge));
        }

        // then
        assertThat(mergeAck).contains("\rMSA|AA|M" + survivor.controlId());
        Patient kept = onlyPatient(survivor.mrn());
        Patient absorbed = onlyPatient(duplicate.mrn());
        assertThat(kept.getActive()).isTrue();
        assertThat(kept.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACES);
        assertThat(kept.getLinkFirstRep().getOther().getReference()).isEqualTo("Patient/" + absorbed.getIdPart());
        assertThat(absorbed.getActive()).isFalse();
        assertThat(absorbed.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACEDBY);
        assertThat(absorbed.getLinkFirstRep().getOther().getReference()).isEqualTo("Patient/" + kept.getIdPart());
    }

    // --- the import command (backfill of archives) against this listener

    @Test
    void shouldImportAnArchiveOverSeveralConnectionsThenResumeWithoutSendingAgain(@TempDir Path directory)
            throws Exception {
        // given: 40 births and one message without a control id, as plain text blocks
        List<TwinBirth> births = new ArrayList<>();
        StringBuilder archive = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            TwinBirth birth = TwinBirth.unique();
            births.add(birth);
            archive.append(birth.text().replace("\r", "\n")).append("\n");
        }
        TwinBirth unidentified = TwinBirth.unique();
        archive.append(unidentified.text().replace("|" + unidentified.controlId() + "|", "||").replace("\r", "\n"));
        Files.writeString(directory.resolve("births-2024.hl7"), archive.toString(), StandardCharsets.ISO_8859_1);
        Path state = directory.resolve("import-state.json");
        String[] command = {"import", "--to", "localhost:" + MLLP_PORT, "--connections", "3", "--state", state.toString(),
                directory.toString()};

        // when
        CliRun first = CliRun.of(command);
        CliRun second = CliRun.of(command);

        // then
        assertThat(first.exit()).as(first.toString()).isEqualTo(ExitCode.NEGATIVE.code());
        assertThat(first.out()).contains("Importing 41 messages from 1 file(s)", "40 accepted, 1 rejected", "births-2024.hl7#41");
        for (TwinBirth birth : births) {
            assertThat(onlyPatient(birth.mrn())).isNotNull();
        }
        assertThat(second.exit()).as(second.toString()).isEqualTo(ExitCode.DONE.code());
        assertThat(second.out()).contains("Importing 0 messages", "resuming: 41 imported before");
    }

    // --- the replay command against this application's admin API

    @Test
    void shouldReplayMessagesByIdAndSayWhichWereNotAcceptedOrNotFound(@TempDir Path directory) throws Exception {
        // given: a rejected and an accepted message in the store, and an id no message has
        long rejected = storedId(damagedBirth());
        long accepted = storedId(uniqueBirth());
        Path token = Files.writeString(directory.resolve("admin.jwt"), TestTokens.of(Role.ADMIN));

        // when
        CliRun run = CliRun.of("replay", "--url", "http://localhost:" + httpPort, "--token-file", token.toString(),
                Long.toString(rejected), Long.toString(accepted), "999999999");

        // then
        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCode.NEGATIVE.code());
        assertThat(run.out()).containsPattern("(?m)^message " + rejected + " \\(\\S+\\): REJECTED AE -> REJECTED AE$")
                .containsPattern("(?m)^message " + accepted + " \\(\\S+\\): ACCEPTED AA -> ACCEPTED AA$")
                .contains("message 999999999: not replayed: no HL7 message with id 999999999 is in the message store");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void shouldReplayAcceptedMessagesWithExitZeroAndRejectedOnesByStatus() throws Exception {
        // given
        long accepted = storedId(uniqueBirth());
        long rejected = storedId(damagedBirth());
        String adapter = "http://localhost:" + httpPort;

        // when
        CliRun byId = CliRun.of("replay", "--url", adapter, "--token", TestTokens.of(Role.ADMIN), Long.toString(accepted));
        CliRun byStatus = CliRun.of("replay", "--url", adapter, "--token", TestTokens.of(Role.ADMIN), "--status", "REJECTED",
                "--limit", "500");

        // then
        assertThat(byId.exit()).as(byId.toString()).isEqualTo(ExitCode.DONE.code());
        assertThat(byStatus.exit()).as(byStatus.toString()).isEqualTo(ExitCode.NEGATIVE.code());
        assertThat(byStatus.out()).containsPattern("(?m)^message " + rejected + " \\(\\S+\\): REJECTED AE -> REJECTED AE$")
                .containsPattern("(?m)^Replayed (\\d+) of the \\1 message\\(s\\) with status REJECTED$");
    }

    @Test
    void shouldTellARefusedTokenFromAnInvalidStatusByExitCode() {
        // given
        String adapter = "http://localhost:" + httpPort;

        // when
        CliRun refusedToken = CliRun.of("replay", "--url", adapter, "--token", "not-a-token", "1");
        CliRun auditorToken = CliRun.of("replay", "--url", adapter, "--token", TestTokens.of(Role.AUDITOR), "1");
        CliRun invalidStatus = CliRun.of("replay", "--url", adapter, "--token", TestTokens.of(Role.ADMIN), "--status", "LOST");

        // then
        assertThat(refusedToken.exit()).as(refusedToken.toString()).isEqualTo(ExitCode.UNREACHABLE.code());
        assertThat(refusedToken.err()).startsWith("replay failed: the adapter at " + adapter + " answered HTTP 401");
        assertThat(auditorToken.exit()).as(auditorToken.toString()).isEqualTo(ExitCode.UNREACHABLE.code());
        assertThat(auditorToken.err()).contains("answered HTTP 403");
        assertThat(invalidStatus.exit()).as(invalidStatus.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(invalidStatus.err()).contains("answered HTTP 400", "status must be one or more");
    }

    /** Sends {@code message} over MLLP and returns its id in the message store. */
    private long storedId(String message) throws Exception {
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            client.send(ascii(message));
        }
        HttpResponse<String> listed = TestTokens.http().send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort
                + "/admin/hl7/messages?controlId=" + controlId(message))).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(listed.body()).get("messages").get(0).get("id").asLong();
    }

    /** A birth whose newborn's name is cut by a line end: answered AE (NBR-5006) every time it is processed. */
    private static String damagedBirth() {
        return uniqueBirth().replace("DOE^BABY GIRL B", "DOE^BABY\nGIRL B");
    }

    private Patient onlyPatient(String mrn) {
        Bundle found = fhir().search().byUrl("Patient?identifier=" + TwinBirth.MRN_SYSTEM + "|" + mrn)
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).hasSize(1);
        return (Patient) found.getEntryFirstRep().getResource();
    }

    @Test
    void shouldServeTwentyConcurrentConnections() throws Exception {
        // given
        ExecutorService senders = Executors.newFixedThreadPool(20);
        List<Callable<List<String>>> connections = new ArrayList<>();
        for (int c = 0; c < 20; c++) {
            connections.add(() -> {
                List<String> codes = new ArrayList<>();
                try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
                    for (int m = 0; m < 5; m++) {
                        codes.add(client.send(ascii(uniqueBirth())).split("\r")[1].substring(0, 6));
                    }
                }
                return codes;
            });
        }

        // when
        List<String> codes = new ArrayList<>();
        for (Future<List<String>> result : senders.invokeAll(connections)) {
            codes.addAll(result.get());
        }
        senders.shutdown();

        // then
        assertThat(codes).hasSize(100).containsOnly("MSA|AA");
    }

    @Test
    void shouldKeepEveryNameIdentifierBirthDateAndAlleleOfTheCorpusOutOfTheLogs(CapturedOutput output) throws Exception {
        // given: every corpus message and project sample over MLLP, and the FHIR examples over HTTP
        List<String> messages = new ArrayList<>();
        for (String file : SharedCorpus.files("hl7")) {
            messages.add(new String(Files.readAllBytes(SharedCorpus.file("hl7/" + file)), StandardCharsets.ISO_8859_1)
                    .replace("\r\n", "\r").replace('\n', '\r'));
        }
        for (String sample : List.of("adt-a01-newborn-twin-b.hl7", "oml-o21-newborn-screening-order.hl7", "oru-r01-str-genotype.hl7",
                "adt-a01-newborn-consent-con.hl7", "adt-a08-newborn-consent-withdrawn-obx.hl7")) {
            messages.add(new String(Samples.v2(sample), StandardCharsets.ISO_8859_1));
        }

        // when
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            for (String message : messages) {
                client.send(message.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        FhirExamples story = FhirExamples.story();
        for (String example : List.of("birth-transaction.json", "blood-spot-order-transaction.json", "str-genotype-transaction.json")) {
            fhir().transaction().withBundle(FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, story.json(example)))
                    .execute();
        }

        // then
        Set<String> personal = new TreeSet<>();
        messages.forEach(message -> personal.addAll(PersonalValues.of(message)));
        personal.addAll(List.of(story.mrn(), "GHM" + story.suffix(), story.spot()));
        // Why: the logs name messages by MSH-10 by design; a corpus file whose control id equals another's MRN is no leak.
        messages.forEach(message -> PersonalValues.controlId(message).ifPresent(personal::remove));
        assertThat(personal).as("values looked for").hasSizeGreaterThan(30);
        String logs = output.getAll();
        List<String> found = personal.stream().filter(value -> PersonalValues.appearsIn(value, logs)).toList();
        assertThat(found).as("names, identifiers, birth dates or alleles of the inputs in the logs").isEmpty();
    }

    private IGenericClient fhir() {
        return TestTokens.authorised(FhirContext.forR4Cached().newRestfulGenericClient("http://localhost:" + httpPort + "/fhir"));
    }

    private static String uniqueBirth() {
        return TwinBirth.unique().text();
    }

    private static String controlId(String message) {
        return message.split("\r")[0].split("\\|")[9];
    }

    private static String mrn(String message) {
        return message.substring(message.indexOf("PID|1||") + 7, message.indexOf("^^^GENERAL"));
    }

    private static byte[] ascii(String message) {
        return message.getBytes(StandardCharsets.US_ASCII);
    }
}

package org.newbornregistry.fhir;

import ca.uhn.hl7v2.AcknowledgmentCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.newbornregistry.conformance.TwinBirth;
import org.newbornregistry.fhir.hl7.InboundMessageService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The message store's admin API over real HTTP, with messages put in through the HL7 entrance of
 * the write path. Each test sends from a sending facility of its own, so that its listings and
 * replays by filter never touch other tests' messages in the shared database.
 */
@ExtendWith(OutputCaptureExtension.class)
class MessageAdminIT extends RegistryIntegrationSupport {

    private static final String SAMPLE_FACILITY = "|NURSERY|GENERAL HOSPITAL^2.16.840.1.113883.19.5^ISO|";

    @Autowired
    InboundMessageService inbound;

    private final HttpClient http = TestTokens.http();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldListNewestFirstInPagesWithMetadataOnly() throws Exception {
        // given
        String facility = uniqueFacility();
        TwinBirth first = TwinBirth.unique();
        TwinBirth second = TwinBirth.unique();
        TwinBirth third = TwinBirth.unique();
        long firstId = receive(from(facility, first.text()), AcknowledgmentCode.AA);
        long secondId = receive(damaged(from(facility, second.text())), AcknowledgmentCode.AE);
        long thirdId = receive(from(facility, third.text()), AcknowledgmentCode.AA);

        // when
        HttpResponse<String> page1 = get("?sendingFacility=" + facility + "&limit=2");
        JsonNode body1 = json.readTree(page1.body());
        HttpResponse<String> page2 = http.send(HttpRequest.newBuilder(URI.create(body1.get("next").asText())).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body2 = json.readTree(page2.body());

        // then
        assertThat(page1.statusCode()).isEqualTo(200);
        assertThat(page1.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(ids(body1)).containsExactly(thirdId, secondId);
        assertThat(ids(body2)).containsExactly(firstId);
        assertThat(body2.has("next")).isFalse();
        JsonNode rejected = body1.get("messages").get(1);
        assertThat(rejected.get("controlId").asText()).isEqualTo(second.controlId());
        assertThat(rejected.get("sendingApplication").asText()).isEqualTo("NURSERY");
        assertThat(rejected.get("sendingFacility").asText()).isEqualTo(facility);
        assertThat(rejected.get("type").asText()).isEqualTo("ADT^A01");
        assertThat(rejected.get("version").asText()).isEqualTo("2.5.1");
        assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.get("ackCode").asText()).isEqualTo("AE");
        assertThat(rejected.get("problems").get(0).get("code").asText()).isEqualTo("NBR-5006");
        assertThat(rejected.get("problems").get(0).get("severity").asText()).isEqualTo("E");
        assertThat(rejected.get("problems").get(0).has("location")).isTrue();
        assertThat(rejected.get("problems").get(0).get("message").asText()).isNotBlank();
        assertThat(rejected.get("resources")).isEmpty();
        assertThat(rejected.get("replayCount").asInt()).isZero();
        assertThat(rejected.get("rawAvailable").asBoolean()).isTrue();
        assertThat(Instant.parse(rejected.get("received").asText())).isBefore(Instant.now());
        assertThat(Instant.parse(rejected.get("lastProcessed").asText())).isNotNull();
        assertThat(body1.get("messages").get(0).get("resources")).extracting(JsonNode::asText)
                .anySatisfy(location -> assertThat(location).startsWith("Patient/"));
        assertThat(page1.body() + page2.body()).doesNotContain("BABY").doesNotContain("JANE").doesNotContain("MAIN ST")
                .doesNotContain(first.mrn()).doesNotContain(second.mrn()).doesNotContain(third.mrn())
                .doesNotContain("PID|").doesNotContain("\"ack\"").doesNotContain("raw\":\"");
    }

    @Test
    void shouldFilterByStatusAckCodeTypeErrorCodeControlIdAndReceivedTime() throws Exception {
        // given
        String facility = uniqueFacility();
        TwinBirth birth = TwinBirth.unique();
        long accepted = receive(from(facility, birth.text()), AcknowledgmentCode.AA);
        long rejected = receive(damaged(from(facility, TwinBirth.unique().text())), AcknowledgmentCode.AE);
        String update = from(facility, birth.text())
                .replace("ADT^A01^ADT_A01|" + birth.controlId(), "ADT^A08^ADT_A01|" + birth.controlId() + "U")
                .replace("EVN|A01", "EVN|A08");
        long updated = receive(update, AcknowledgmentCode.AA);
        Instant rejectedAt = Instant.parse(json.readTree(get("/" + rejected).body()).get("received").asText());
        String mine = "sendingFacility=" + facility;

        // when / then
        assertThat(ids(getJson("?" + mine + "&status=REJECTED"))).containsExactly(rejected);
        assertThat(ids(getJson("?" + mine + "&status=accepted,rejected"))).containsExactly(updated, rejected, accepted);
        assertThat(ids(getJson("?" + mine + "&ackCode=AA"))).containsExactly(updated, accepted);
        assertThat(ids(getJson("?" + mine + "&messageType=ADT&triggerEvent=A08"))).containsExactly(updated);
        assertThat(ids(getJson("?" + mine + "&errorCode=NBR-5006"))).containsExactly(rejected);
        assertThat(ids(getJson("?" + mine + "&errorCode=NBR-3001"))).isEmpty();
        assertThat(ids(getJson("?" + mine + "&controlId=" + birth.controlId()))).containsExactly(accepted);
        assertThat(ids(getJson("?controlId=" + birth.controlId() + "U"))).containsExactly(updated);
        assertThat(ids(getJson("?" + mine + "&receivedFrom=" + rejectedAt))).containsExactly(updated, rejected);
        assertThat(ids(getJson("?" + mine + "&receivedTo=" + rejectedAt))).containsExactly(accepted);
        assertThat(ids(getJson("?sendingFacility=" + facility + "-OTHER"))).isEmpty();
    }

    @Test
    void shouldRefuseBadParametersWithProblemNamingTheParameterButNotItsValue() throws Exception {
        // given
        String sentinel = "Zyxw" + UUID.randomUUID().toString().substring(0, 8);
        List<String[]> cases = List.of(
                new String[]{"?status=" + sentinel, "status"},
                new String[]{"?ackCode=" + sentinel, "ackCode"},
                new String[]{"?receivedFrom=" + sentinel, "receivedFrom"},
                new String[]{"?receivedFrom=2024-05-02T00:00:00Z&receivedTo=2024-05-01T00:00:00Z", "receivedTo"},
                new String[]{"?errorCode=" + sentinel, "errorCode"},
                new String[]{"?limit=0", "limit"},
                new String[]{"?limit=501", "limit"},
                new String[]{"?cursor=" + sentinel, "cursor"},
                new String[]{"?stauts=REJECTED", "stauts"},
                new String[]{"?controlId=", "controlId"},
                new String[]{"?status=REJECTED&status=REFUSED", "status"},
                new String[]{"/" + sentinel, "id"});

        for (String[] bad : cases) {
            // when
            HttpResponse<String> response = get(bad[0]);

            // then
            assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = json.readTree(response.body());
            assertThat(problem.get("type").asText()).endsWith("/problem/invalid-parameter");
            assertThat(problem.get("status").asInt()).isEqualTo(400);
            assertThat(problem.get("parameter").asText()).as(bad[0]).isEqualTo(bad[1]);
            assertThat(problem.get("detail").asText()).contains(bad[1]).doesNotContain(sentinel);
        }
    }

    @Test
    void shouldReturnOneMessageWithItsAckAndTheRawBytesSeparately() throws Exception {
        // given
        TwinBirth birth = TwinBirth.unique();
        byte[] sent = from(uniqueFacility(), birth.text()).getBytes(StandardCharsets.US_ASCII);
        long id = inbound.receive(sent).messageId();

        // when
        HttpResponse<String> detail = get("/" + id);
        HttpResponse<byte[]> raw = http.send(request("/" + id + "/raw").GET().build(), HttpResponse.BodyHandlers.ofByteArray());

        // then
        JsonNode message = json.readTree(detail.body());
        assertThat(message.get("id").asLong()).isEqualTo(id);
        assertThat(message.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(message.get("ack").asText()).contains("\rMSA|AA|" + birth.controlId() + "\r");
        assertThat(detail.body()).doesNotContain(birth.mrn()).doesNotContain("BABY");
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).isEqualTo(sent);
        assertThat(raw.headers().firstValue("Content-Type")).hasValue("application/hl7-v2");
        assertThat(raw.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void shouldAnswer404ProblemForAnUnknownId() throws Exception {
        // given
        long unknown = Long.MAX_VALUE - 7;

        // when
        List<HttpResponse<String>> responses = List.of(get("/" + unknown), get("/" + unknown + "/raw"),
                post("/" + unknown + "/$replay"));

        // then
        for (HttpResponse<String> response : responses) {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = json.readTree(response.body());
            assertThat(problem.get("type").asText()).endsWith("/problem/message-not-found");
            assertThat(problem.get("detail").asText()).contains(String.valueOf(unknown));
        }
    }

    @Test
    void shouldRefuseRawAndReplayOnceRetentionDeletedTheBytes() throws Exception {
        // given: what the retention reaper does to a message whose retention period has passed
        TwinBirth birth = TwinBirth.unique();
        String facility = uniqueFacility();
        long id = receive(damaged(from(facility, birth.text())), AcknowledgmentCode.AE);
        jdbc.update("update hl7_message set raw = null where id = ?", id);

        // when
        JsonNode detail = getJson("/" + id);
        HttpResponse<String> raw = get("/" + id + "/raw");
        HttpResponse<String> replay = post("/" + id + "/$replay");
        JsonNode replayByFilter = json.readTree(post("/$replay?sendingFacility=" + facility + "&limit=10").body());

        // then
        assertThat(detail.get("rawAvailable").asBoolean()).isFalse();
        assertThat(raw.statusCode()).isEqualTo(404);
        assertThat(json.readTree(raw.body()).get("type").asText()).endsWith("/problem/raw-message-gone");
        assertThat(json.readTree(raw.body()).get("detail").asText()).contains("retention");
        assertThat(replay.statusCode()).isEqualTo(409);
        assertThat(replay.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(replay.body()).get("type").asText()).endsWith("/problem/raw-message-gone");
        assertThat(replayByFilter.get("replayable").asInt()).isZero();
        assertThat(replayByFilter.get("replayed")).isEmpty();
        assertThat(getJson("/" + id).get("replayCount").asInt()).isZero();
    }

    @Test
    void shouldReplayAnAcceptedMessageOnTheSameRowWithoutDuplicatingResources() throws Exception {
        // given
        TwinBirth birth = TwinBirth.unique();
        long id = receive(birth.text(), AcknowledgmentCode.AA);
        List<String> before = registryRecordsOf(birth);
        JsonNode original = getJson("/" + id);

        // when
        HttpResponse<String> firstReplay = post("/" + id + "/$replay");
        JsonNode second = json.readTree(post("/" + id + "/$replay").body());

        // then
        assertThat(firstReplay.statusCode()).isEqualTo(200);
        assertThat(second.get("id").asLong()).isEqualTo(id);
        assertThat(second.get("controlId").asText()).isEqualTo(birth.controlId());
        assertThat(second.get("before").get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(second.get("after").get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(second.get("after").get("ackCode").asText()).isEqualTo("AA");
        assertThat(second.get("replayCount").asInt()).isEqualTo(2);
        assertThat(registryRecordsOf(birth)).hasSize(6).containsExactlyInAnyOrderElementsOf(before);
        JsonNode replayed = getJson("/" + id);
        assertThat(replayed.get("resources")).isEqualTo(original.get("resources"));
        assertThat(Instant.parse(replayed.get("lastProcessed").asText()))
                .isAfter(Instant.parse(original.get("lastProcessed").asText()));
        assertThat(replayed.get("received")).isEqualTo(original.get("received"));
        assertThat(ids(getJson("?controlId=" + birth.controlId()))).containsExactly(id);
    }

    @Test
    void shouldAcceptOnReplayOnceTheRecordThatBlockedTheMessageIsCorrected() throws Exception {
        // given: two records entered by hand that both give the newborn's hospital number as a secondary identifier
        TwinBirth birth = TwinBirth.unique();
        List<IdType> misfiled = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Patient patient = new Patient();
            patient.addIdentifier().setSystem(TwinBirth.MRN_SYSTEM).setValue(birth.mrn()).setUse(Identifier.IdentifierUse.SECONDARY);
            misfiled.add((IdType) client.create().resource(patient).execute().getId());
        }
        long id = receive(birth.text(), AcknowledgmentCode.AE);
        assertThat(ids(getJson("?controlId=" + birth.controlId() + "&errorCode=NBR-3003"))).containsExactly(id);
        assertThat(newbornsWith(birth.mrn())).isEqualTo(2);

        // when: the operator corrects the record, then replays the message
        client.delete().resourceById("Patient", misfiled.get(1).getIdPart()).execute();
        HttpResponse<String> response = post("/" + id + "/$replay");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode replay = json.readTree(response.body());
        assertThat(replay.get("before").get("status").asText()).isEqualTo("REJECTED");
        assertThat(replay.get("before").get("ackCode").asText()).isEqualTo("AE");
        assertThat(replay.get("after").get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(replay.get("after").get("ackCode").asText()).isEqualTo("AA");
        assertThat(replay.get("replayCount").asInt()).isEqualTo(1);
        assertThat(newbornsWith(birth.mrn())).isEqualTo(1);
        JsonNode message = getJson("/" + id);
        assertThat(message.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(message.get("ack").asText()).contains("\rMSA|AA|" + birth.controlId());
        assertThat(message.get("problems").findValuesAsText("code")).doesNotContain("NBR-3003");
        assertThat(message.get("resources")).isNotEmpty();
    }

    @Test
    void shouldKeepARejectedMessageRejectedOnReplayAndCountTheReplay() throws Exception {
        // given
        TwinBirth birth = TwinBirth.unique();
        long id = receive(damaged(birth.text()), AcknowledgmentCode.AE);

        // when
        JsonNode replay = json.readTree(post("/" + id + "/$replay").body());

        // then
        assertThat(replay.get("before").get("status").asText()).isEqualTo("REJECTED");
        assertThat(replay.get("after").get("status").asText()).isEqualTo("REJECTED");
        assertThat(replay.get("after").get("ackCode").asText()).isEqualTo("AE");
        JsonNode message = getJson("/" + id);
        assertThat(message.get("replayCount").asInt()).isEqualTo(1);
        assertThat(message.get("problems").findValuesAsText("code")).containsExactly("NBR-5006");
        assertThat(ids(getJson("?controlId=" + birth.controlId()))).containsExactly(id);
    }

    @Test
    void shouldReplayFilteredMessagesOldestFirstUpToTheLimit() throws Exception {
        // given
        String facility = uniqueFacility();
        long oldest = receive(damaged(from(facility, TwinBirth.unique().text())), AcknowledgmentCode.AE);
        long accepted = receive(from(facility, TwinBirth.unique().text()), AcknowledgmentCode.AA);
        long middle = receive(damaged(from(facility, TwinBirth.unique().text())), AcknowledgmentCode.AE);
        long newest = receive(damaged(from(facility, TwinBirth.unique().text())), AcknowledgmentCode.AE);

        // when
        HttpResponse<String> response = post("/$replay?sendingFacility=" + facility + "&status=REJECTED&limit=2");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode batch = json.readTree(response.body());
        assertThat(batch.get("replayable").asInt()).isEqualTo(3);
        assertThat(batch.get("replayed").findValuesAsText("id")).containsExactly(String.valueOf(oldest), String.valueOf(middle));
        assertThat(batch.get("replayed").get(0).get("after").get("ackCode").asText()).isEqualTo("AE");
        assertThat(getJson("/" + oldest).get("replayCount").asInt()).isEqualTo(1);
        assertThat(getJson("/" + middle).get("replayCount").asInt()).isEqualTo(1);
        assertThat(getJson("/" + newest).get("replayCount").asInt()).isZero();
        assertThat(getJson("/" + accepted).get("replayCount").asInt()).isZero();
    }

    @Test
    void shouldRefuseAReplayByFilterWithoutLimitOrWithoutFiltersUnlessAllIsTrue() throws Exception {
        // when
        HttpResponse<String> unfiltered = post("/$replay?limit=5");
        HttpResponse<String> withoutLimit = post("/$replay?status=REJECTED");
        HttpResponse<String> cursor = post("/$replay?status=REJECTED&limit=5&cursor=x");
        HttpResponse<String> vagueAll = post("/$replay?limit=5&all=yes");

        // then
        assertThat(unfiltered.statusCode()).isEqualTo(400);
        assertThat(json.readTree(unfiltered.body()).get("type").asText()).endsWith("/problem/unfiltered-replay");
        assertThat(json.readTree(unfiltered.body()).get("detail").asText()).contains("all=true");
        assertThat(withoutLimit.statusCode()).isEqualTo(400);
        assertThat(json.readTree(withoutLimit.body()).get("parameter").asText()).isEqualTo("limit");
        assertThat(json.readTree(cursor.body()).get("parameter").asText()).isEqualTo("cursor");
        assertThat(json.readTree(vagueAll.body()).get("parameter").asText()).isEqualTo("all");
    }

    @Test
    void shouldKeepMessageContentOutOfTheLogWhenListingReadingAndReplaying(CapturedOutput output) throws Exception {
        // given
        TwinBirth birth = TwinBirth.unique();
        long accepted = receive(birth.text(), AcknowledgmentCode.AA);
        long rejected = receive(damaged(TwinBirth.unique().text()), AcknowledgmentCode.AE);

        // when
        get("?controlId=" + birth.controlId());
        get("/" + accepted);
        get("/" + accepted + "/raw");
        post("/" + accepted + "/$replay");
        post("/" + rejected + "/$replay");

        // then
        assertThat(output.getAll()).contains("Message " + birth.controlId() + " replayed, id " + accepted + ": AA")
                .contains("Bytes of message " + accepted)
                .doesNotContain(birth.mrn()).doesNotContain("BABY").doesNotContain("JANE").doesNotContain("MAIN ST");
    }

    /** The newborn and everything the birth message made about her, as FHIR ids without versions. */
    private List<String> registryRecordsOf(TwinBirth birth) {
        Bundle found = client.search().byUrl("Patient?identifier=" + TwinBirth.MRN_SYSTEM + "|" + birth.mrn()
                        + "&_revinclude=RelatedPerson:patient&_revinclude=Observation:subject&_revinclude=Encounter:subject")
                .returnBundle(Bundle.class).execute();
        Bundle mother = client.search().byUrl("Patient?identifier=" + TwinBirth.MRN_SYSTEM + "|GHM" + birth.mrn().substring(2))
                .returnBundle(Bundle.class).execute();
        List<String> ids = new ArrayList<>();
        found.getEntry().forEach(e -> ids.add(e.getResource().getIdElement().toUnqualifiedVersionless().getValue()));
        mother.getEntry().forEach(e -> ids.add(e.getResource().getIdElement().toUnqualifiedVersionless().getValue()));
        return ids;
    }

    private int newbornsWith(String mrn) {
        return client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndIdentifier(TwinBirth.MRN_SYSTEM, mrn))
                .returnBundle(Bundle.class).execute().getEntry().size();
    }

    private long receive(String message, AcknowledgmentCode expected) {
        InboundMessageService.Receipt receipt = inbound.receive(message.getBytes(StandardCharsets.US_ASCII));
        assertThat(receipt.ackCode()).as("ACK of the test message").isEqualTo(expected);
        return receipt.messageId();
    }

    /** The sample as sent by another sending facility (MSH-4). */
    /** The message as {@code facility} sends it: its own sender, and record numbers of its own authority (no OID of another's). */
    private static String from(String facility, String message) {
        assertThat(message).contains(SAMPLE_FACILITY);
        return message.replace(SAMPLE_FACILITY, "|NURSERY|" + facility + "|")
                .replace("GENERAL HOSPITAL&2.16.840.1.113883.19.5&ISO", facility + "&&");
    }

    /** The sample with PID broken by a line break, which is answered AE. */
    private static String damaged(String message) {
        return message.replace("DOE^BABY GIRL B", "DOE^BABY\nGIRL B");
    }

    private static String uniqueFacility() {
        return "HOSP-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private static List<Long> ids(JsonNode page) {
        return StreamSupport.stream(page.get("messages").spliterator(), false).map(m -> m.get("id").asLong()).toList();
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/hl7/messages" + path));
    }
}

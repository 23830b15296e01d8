package org.newbornregistry.fhir;

import ca.uhn.hl7v2.AcknowledgmentCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.FhirExamples;
import org.newbornregistry.conformance.StrResult;
import org.newbornregistry.conformance.TwinBirth;
import org.newbornregistry.fhir.hl7.InboundMessageService;
import org.newbornregistry.fhir.security.Role;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An auditor's newborn trail: one newborn's birth message, records, genotype, consent changes and
 * every access, in order, over real HTTP — and no genotype value, name or parent identifier in it.
 */
class NewbornTrailIT extends RegistryIntegrationSupport {

    /**
     * Genotypes of the STR sample as the registry stores them (a locus's alleles joined by a comma): a
     * time such as 01:47:39.312 contains 9.3, but nothing but a genotype contains 6,9.3.
     */
    private static final List<String> SAMPLE_GENOTYPES = List.of("6,9.3", "29,30.2", "12,15.3", "13,14.2");

    @Autowired
    InboundMessageService inbound;

    private final HttpClient auditor = TestTokens.http(TestTokens.of(Role.AUDITOR));

    @Test
    void shouldShowEverythingThatHappenedToTheNewbornInOrderWithoutItsGenotype() throws Exception {
        // given
        FhirExamples story = FhirExamples.story();
        client.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class, story.json("birth-transaction.json"))).execute();
        TwinBirth birth = TwinBirth.unique();
        assertThat(inbound.receive(birth.bytes()).ackCode()).isEqualTo(AcknowledgmentCode.AA);
        StrResult result = StrResult.forNewborn(birth.mrn());
        assertThat(inbound.receive(result.bytes()).ackCode()).isEqualTo(AcknowledgmentCode.AA);
        String newborn = newbornId(birth);
        Consent consent = Fixtures.uniqueConsent(story).setPatient(new Reference("Patient/" + newborn));
        String consentId = client.create().resource(consent).execute().getId().getIdPart();
        consent.setId(consentId);
        client.update().resource(consent.setStatus(Consent.ConsentState.INACTIVE)).execute();
        client.search().byUrl("Observation?subject=Patient/" + newborn).returnBundle(Bundle.class).execute();

        // when
        HttpResponse<String> response = get("/audit/newborn-trail?identifier=" + encode(TwinBirth.MRN_SYSTEM + "|" + birth.mrn()));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode trail = new ObjectMapper().readTree(response.body());
        assertThat(trail.path("patient").asText()).isEqualTo(newborn);
        assertThat(trail.path("truncated").asBoolean()).isFalse();
        List<JsonNode> entries = new ArrayList<>();
        trail.path("entries").forEach(entries::add);
        assertThat(entries).extracting(e -> Instant.parse(e.path("at").asText())).isSorted();
        int birthMessage = indexOf(entries, "message", "ADT^A01 answered AA");
        int genotype = indexOf(entries, "record", "STR genotype created");
        int resultMessage = indexOf(entries, "message", "ORU^R01 answered AA");
        int consentCreated = indexOf(entries, "consent", "status active");
        int consentWithdrawn = indexOf(entries, "consent", "status inactive");
        int search = indexOf(entries, "access", "FHIR search-type Observation");
        assertThat(birthMessage).isLessThan(resultMessage);
        assertThat(genotype).isGreaterThan(birthMessage);
        assertThat(consentCreated).isLessThan(consentWithdrawn);
        assertThat(consentWithdrawn).isLessThan(search);
        assertThat(entries.get(search).path("who").asText()).isEqualTo("test-client");
        assertThat(entries.get(birthMessage).path("who").asText()).contains("GENERAL HOSPITAL");
        assertThat(entries.get(genotype).path("who").asText()).as("the writer of a record version").contains("NBR DNA LAB");
        assertThat(entries.get(indexOf(entries, "record", "Newborn record created")).path("who").asText()).contains("GENERAL HOSPITAL");
        assertThat(entries.get(consentWithdrawn).path("who").asText()).isEqualTo("test-client");
        assertThat(response.body()).doesNotContain(SAMPLE_GENOTYPES.toArray(String[]::new))
                .doesNotContain(birth.motherMrn()).doesNotContain("BABY GIRL");
    }

    @Test
    void shouldNameTheClientThatWroteEachRecordOfAFhirTransaction() throws Exception {
        // given
        FhirExamples story = FhirExamples.story();
        client.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class, story.json("birth-transaction.json"))).execute();

        // when
        JsonNode trail = new ObjectMapper().readTree(get("/audit/newborn-trail?identifier=" + story.mrn()).body());

        // then
        List<JsonNode> records = new ArrayList<>();
        trail.path("entries").forEach(e -> {
            if (e.path("kind").asText().equals("record")) {
                records.add(e);
            }
        });
        assertThat(records).extracting(e -> e.path("title").asText()).contains("Newborn record created", "Birth encounter created");
        assertThat(records).allSatisfy(e -> assertThat(e.path("who").asText()).as(e.path("title").asText()).isEqualTo("test-client"));
    }

    @Test
    void shouldRecordEachLookAtTheTrailInTheTrail() throws Exception {
        // given
        TwinBirth birth = TwinBirth.unique();
        inbound.receive(birth.bytes());
        String newborn = newbornId(birth);

        // when
        JsonNode first = new ObjectMapper().readTree(get("/audit/newborn-trail?patient=" + newborn).body());
        JsonNode second = new ObjectMapper().readTree(get("/audit/newborn-trail?identifier=" + birth.mrn()).body());

        // then
        assertThat(looks(first)).extracting(e -> e.path("detail").asText()).as("the first look shows itself")
                .containsExactly("by record id");
        assertThat(looks(second)).extracting(e -> e.path("detail").asText()).containsExactly("by record id", "by identifier");
        assertThat(looks(second)).allSatisfy(look -> assertThat(look.path("who").asText()).isEqualTo("auditor-test"));
    }

    @Test
    void shouldAnswerWhatIsWrongWithTheQuestion() throws Exception {
        // given
        TwinBirth birth = TwinBirth.unique();
        inbound.receive(birth.bytes());
        String value = birth.mrn();
        client.create().resource(new org.hl7.fhir.r4.model.Patient().addIdentifier(new org.hl7.fhir.r4.model.Identifier()
                .setSystem(uniqueSystem()).setValue(value))).execute();

        // when / then
        assertThat(get("/audit/newborn-trail?identifier=" + value).statusCode()).as("a value two systems issued").isEqualTo(409);
        assertThat(get("/audit/newborn-trail?identifier=" + encode(TwinBirth.MRN_SYSTEM + "|" + value)).statusCode()).isEqualTo(200);
        assertThat(get("/audit/newborn-trail?identifier=NO-SUCH-" + value).statusCode()).isEqualTo(404);
        assertThat(get("/audit/newborn-trail?patient=no-such-record").statusCode()).isEqualTo(404);
        assertThat(get("/audit/newborn-trail").statusCode()).isEqualTo(400);
        assertThat(TestTokens.http(TestTokens.of(Role.LAB)).send(request("/audit/newborn-trail?identifier=" + value),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("a lab is no auditor").isEqualTo(403);
    }

    private static List<JsonNode> looks(JsonNode trail) {
        List<JsonNode> looks = new ArrayList<>();
        trail.path("entries").forEach(e -> {
            if (e.path("title").asText().equals("Newborn trail read")) {
                looks.add(e);
            }
        });
        return looks;
    }

    private String newbornId(TwinBirth birth) {
        Bundle found = client.search().byUrl("Patient?identifier=" + TwinBirth.MRN_SYSTEM + "|" + birth.mrn())
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).hasSize(1);
        return found.getEntryFirstRep().getResource().getIdElement().getIdPart();
    }

    private static int indexOf(List<JsonNode> entries, String kind, String text) {
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            if (entry.path("kind").asText().equals(kind)
                    && (entry.path("title").asText() + " " + entry.path("detail").asText()).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no " + kind + " entry with '" + text + "' among " + entries.size() + " entries: "
                + entries.stream().map(e -> e.path("kind").asText() + ": " + e.path("title").asText()).toList());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return auditor.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

package org.newbornregistry.fhir;

import ca.uhn.hl7v2.AcknowledgmentCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.FhirExamples;
import org.newbornregistry.conformance.TwinBirth;
import org.newbornregistry.fhir.hl7.InboundMessageService;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The overview's counts move exactly with what happens; other tests share the database, so deltas are compared. */
class AuditOverviewIT extends RegistryIntegrationSupport {

    @Autowired
    InboundMessageService inbound;

    private final HttpClient http = TestTokens.http();

    @Test
    void shouldCountMessagesOfThisHourByOutcomeAndCurrentConsentsByStatusAndPurpose() throws Exception {
        // given
        JsonNode before = overview();
        FhirExamples story = FhirExamples.story();
        client.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class, story.json("birth-transaction.json"))).execute();
        Consent consent = Fixtures.uniqueConsent(story);

        // when
        TwinBirth birth = TwinBirth.unique();
        InboundMessageService.Receipt accepted = inbound.receive(birth.text().getBytes(StandardCharsets.ISO_8859_1));
        InboundMessageService.Receipt rejected = inbound.receive(TwinBirth.unique().text()
                .replace("DOE^BABY GIRL B", "DOE^BABY\nGIRL B").getBytes(StandardCharsets.ISO_8859_1));
        client.create().resource(consent).execute();
        JsonNode after = overview();

        // then
        assertThat(accepted.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(rejected.ackCode()).isEqualTo(AcknowledgmentCode.AE);
        assertThat(after.path("hours")).hasSize(2);
        JsonNode hourBefore = before.path("hours").get(1);
        JsonNode hourAfter = after.path("hours").get(1);
        if (hourAfter.path("start").asText().equals(hourBefore.path("start").asText())) {
            assertThat(hourAfter.path("received").asLong() - hourBefore.path("received").asLong()).isEqualTo(2);
            assertThat(hourAfter.path("accepted").asLong() - hourBefore.path("accepted").asLong()).isEqualTo(1);
            assertThat(hourAfter.path("rejected").asLong() - hourBefore.path("rejected").asLong()).isEqualTo(1);
        }
        assertThat(consents(after, "active", "national-index-submission") - consents(before, "active", "national-index-submission"))
                .isEqualTo(1);
        assertThat(consents(after, "active", "screening") - consents(before, "active", "screening")).isEqualTo(1);
        assertThat(after.path("outbox").path("pending").isNumber()).isTrue();
        assertThat(after.toString()).as("counts only").doesNotContain(birth.mrn()).doesNotContain(birth.motherMrn());
    }

    @Test
    void shouldShowTheLastVerificationOfTheAuditLog() throws Exception {
        // given
        HttpResponse<String> signed = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/audit/log/checkpoint"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> verified = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/audit/log/verify"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        // when
        JsonNode overview = overview();

        // then
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(verified.statusCode()).isEqualTo(200);
        assertThat(overview.path("lastVerification").path("verified").asBoolean()).isTrue();
        assertThat(overview.path("lastVerification").path("checkpointSize").asLong()).isPositive();
    }

    @Test
    void shouldRefuseAnHourRangeOutsideOneToAMonth() throws Exception {
        assertThat(get("/audit/overview?hours=0").statusCode()).isEqualTo(400);
        assertThat(get("/audit/overview?hours=100000").statusCode()).isEqualTo(400);
    }

    private JsonNode overview() throws Exception {
        HttpResponse<String> response = get("/audit/overview?hours=2");
        assertThat(response.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    private static long consents(JsonNode overview, String status, String purpose) {
        long count = 0;
        for (JsonNode row : overview.path("consents")) {
            if (row.path("status").asText().equals(status) && row.path("purpose").asText().equals(purpose)) {
                count += row.path("count").asLong();
            }
        }
        return count;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

package org.newbornregistry.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.FhirExamples;
import org.newbornregistry.conformance.Samples;
import org.newbornregistry.fhir.hl7.InboundMessageService;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The consent log: every version of a Consent with who changed it and from which message or request. */
class ConsentLogIT extends RegistryIntegrationSupport {

    @Autowired
    InboundMessageService inbound;

    private final HttpClient http = TestTokens.http();

    @Test
    void shouldListEveryVersionWithItsWriterAndExportItAsCsvAndBundle() throws Exception {
        // given: a consent given over FHIR, then withdrawn over FHIR
        Instant from = Instant.now().minusSeconds(1);
        FhirExamples story = FhirExamples.story();
        client.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class, story.json("birth-transaction.json"))).execute();
        String id = client.create().resource(Fixtures.uniqueConsent(story))
                .execute().getId().getIdPart();
        Consent consent = client.read().resource(Consent.class).withId(id).execute();
        consent.setStatus(Consent.ConsentState.INACTIVE);
        client.update().resource(consent).execute();

        // when
        JsonNode log = new ObjectMapper().readTree(get("/audit/consent-log?purpose=national-index-submission&from=" + from).body());
        String csv = get("/audit/consent-log?format=csv&from=" + from).body();
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, get("/audit/consent-log?format=bundle&from=" + from).body());

        // then
        List<JsonNode> versions = new ArrayList<>();
        log.forEach(row -> {
            if (row.path("consent").asText().equals("Consent/" + id)) {
                versions.add(row);
            }
        });
        assertThat(versions).extracting(v -> v.path("status").asText()).containsExactly("active", "inactive");
        assertThat(versions).extracting(v -> v.path("source").asText()).containsExactly("FHIR create", "FHIR update");
        assertThat(versions).allSatisfy(v -> assertThat(v.path("auditEvent").asText()).startsWith("AuditEvent/"));
        assertThat(csv.split("\r\n")[0]).startsWith("consent,version,recorded,method");
        assertThat(csv).contains("Consent/" + id + ",1,").contains("Consent/" + id + ",2,");
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        assertThat(bundle.getEntry()).filteredOn(e -> e.getFullUrl().equals("Consent/" + id)).hasSize(2);
    }

    @Test
    void shouldNameTheHl7MessageAConsentCameFrom() throws Exception {
        // given
        Instant from = Instant.now().minusSeconds(1);
        String suffix = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String message = new String(Samples.v2("adt-a01-newborn-consent-con.hl7"), StandardCharsets.ISO_8859_1)
                .replace("GHM0098", "GHM" + suffix).replace("GH0002", "GH" + suffix).replace("V0002", "V" + suffix)
                .replace("NBR-SAMPLE-0021", "NBR-" + suffix);

        // when
        InboundMessageService.Receipt receipt = inbound.receive(message.getBytes(StandardCharsets.ISO_8859_1));
        JsonNode log = new ObjectMapper().readTree(get("/audit/consent-log?purpose=str-profiling&from=" + from).body());

        // then
        List<String> sources = new ArrayList<>();
        log.forEach(row -> sources.add(row.path("source").asText()));
        assertThat(sources).contains("HL7 message " + receipt.messageId());
        assertThat(get("/audit/consent-log?from=yesterday").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldFilterInTheDatabaseAndPageThroughTheLogByLinkHeaders() throws Exception {
        // given: three consents, of which the second is withdrawn at once
        Instant from = Instant.now().minusSeconds(1);
        FhirExamples story = FhirExamples.story();
        client.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class, story.json("birth-transaction.json"))).execute();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(client.create().resource(Fixtures.uniqueConsent(story))
                    .execute().getId().getIdPart());
        }
        Consent withdrawn = client.read().resource(Consent.class).withId(ids.get(1)).execute();
        withdrawn.setStatus(Consent.ConsentState.INACTIVE);
        client.update().resource(withdrawn).execute();

        // when: active versions only, one per page, following each page's next link
        List<String> listed = new ArrayList<>();
        String next = "http://localhost:" + port + "/audit/consent-log?status=active&limit=1&from=" + from;
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(next)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            new ObjectMapper().readTree(page.body()).forEach(row -> listed.add(row.path("consent").asText() + "/" + row.path("version").asInt()));
            next = page.headers().firstValue("Link").map(link -> link.substring(1, link.indexOf('>'))).orElse(null);
            pages++;
        }

        // then: the filter ran before paging, so every page is full and the withdrawal is not listed
        assertThat(listed).containsSubsequence("Consent/" + ids.get(0) + "/1", "Consent/" + ids.get(1) + "/1", "Consent/" + ids.get(2) + "/1")
                .doesNotContain("Consent/" + ids.get(1) + "/2");
        assertThat(pages).as("one version per page, none empty").isEqualTo(listed.size());
        assertThat(get("/audit/consent-log?after=not-a-cursor").statusCode()).isEqualTo(400);
        assertThat(get("/audit/consent-log?limit=0").statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

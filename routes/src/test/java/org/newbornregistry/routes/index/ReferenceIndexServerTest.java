package org.newbornregistry.routes.index;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.genotype.LocusGenotype;
import org.newbornregistry.adapter.genotype.StrLocus;
import org.newbornregistry.adapter.index.CmfHeader;
import org.newbornregistry.adapter.index.CmfWriter;
import org.newbornregistry.adapter.index.IndexFhirWriter;
import org.newbornregistry.adapter.index.IndexSubmission;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference index over real HTTP, fed by the adapter's own CMF and FHIR writers. */
class ReferenceIndexServerTest {

    private static final ReferenceIndexServer SERVER = new ReferenceIndexServer(FhirContext.forR4Cached(), "127.0.0.1", 0);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CmfWriter CMF = new CmfWriter(new CmfHeader("NDIS00001", "NBR000001", "nbr-adapter", "Missing Person"));

    @BeforeAll
    static void start() {
        SERVER.start();
    }

    @AfterAll
    static void stop() {
        SERVER.stop();
    }

    @BeforeEach
    void empty() {
        SERVER.index().clear();
    }

    @Test
    void shouldKeepACmfSubmissionOnceAndDeleteItOnRequest() throws Exception {
        // given
        String cmf = CMF.write(submission("PSEUDONYM000000000000001", 0), "B1", Instant.parse("2024-05-10T08:00:00Z"));

        // when
        HttpResponse<String> first = post("/index/submissions", "application/xml", cmf, "key-1");
        HttpResponse<String> resent = post("/index/submissions", "application/xml", cmf, "key-1");

        // then
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(resent.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(resent.body()).get("receiptId")).isEqualTo(JSON.readTree(first.body()).get("receiptId"));
        assertThat(held()).containsExactly("PSEUDONYM000000000000001");
        assertThat(JSON.readTree(send("DELETE", "/index/profiles/PSEUDONYM000000000000001").body()).get("deleted").asBoolean()).isTrue();
        assertThat(JSON.readTree(send("DELETE", "/index/profiles/PSEUDONYM000000000000001").body()).get("deleted").asBoolean())
                .as("a retried delete succeeds").isFalse();
        assertThat(held()).isEmpty();
    }

    @Test
    void shouldTakeFhirSubmissionsAndFindThemByIdentitySearch() throws Exception {
        // given
        String bundle = FhirContext.forR4Cached().newJsonParser()
                .encodeResourceToString(new IndexFhirWriter().write(submission("FHIRPSEUDONYM0000000001", 0)));
        assertThat(post("/index/submissions", "application/fhir+json", bundle, "key-2").statusCode()).isEqualTo(201);
        post("/index/submissions", "application/xml", CMF.write(submission("OTHERPSEUDONYM000000001", 1), "B2", Instant.now()), "key-3");

        // when
        String probe = CMF.write(submission("RESCUEDCHILD", 0), "S1", Instant.now());
        JsonNode found = JSON.readTree(post("/index/search?stringency=high", "application/xml", probe, null).body());

        // then
        assertThat(found.get("candidates")).hasSize(1);
        assertThat(found.get("candidates").get(0).get("pseudonym").asText()).isEqualTo("FHIRPSEUDONYM0000000001");
        assertThat(found.get("candidates").get(0).get("matchingLoci").asInt()).isEqualTo(10);
    }

    @Test
    void shouldRefuseInvalidSubmissionsWithAReason() throws Exception {
        HttpResponse<String> noKey = post("/index/submissions", "application/xml",
                CMF.write(submission("P1", 0), "B", Instant.now()), null);
        HttpResponse<String> notCmf = post("/index/submissions", "application/xml", "<x/>", "k");
        HttpResponse<String> withAPerson = post("/index/submissions", "application/fhir+json",
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\"}}]}", "k2");

        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(noKey.body()).contains("Idempotency-Key");
        assertThat(notCmf.statusCode()).isEqualTo(400);
        assertThat(notCmf.body()).contains("not a CMF file");
        assertThat(withAPerson.statusCode()).isEqualTo(400);
        assertThat(held()).isEmpty();
    }

    @Test
    void shouldFailTheNextRequestsWhenToldTo() throws Exception {
        // given
        send("POST", "/index/faults?fail=2&status=503");
        String cmf = CMF.write(submission("P2", 0), "B", Instant.now());

        // when
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(post("/index/submissions", "application/xml", cmf, "key-f").statusCode());
        }

        // then
        assertThat(statuses).containsExactly(503, 503, 201);
    }

    /** A ten-locus profile; {@code variant} 1 differs at every locus from variant 0. */
    private static IndexSubmission submission(String pseudonym, int variant) {
        List<LocusGenotype> loci = new ArrayList<>();
        StrLocus[] core = {StrLocus.CSF1PO, StrLocus.D3S1358, StrLocus.D5S818, StrLocus.D7S820, StrLocus.D8S1179,
                StrLocus.D13S317, StrLocus.D16S539, StrLocus.D18S51, StrLocus.FGA, StrLocus.TH01};
        for (int i = 0; i < core.length; i++) {
            loci.add(LocusGenotype.of(core[i], List.of(String.valueOf(8 + i + variant), String.valueOf(12 + i))));
        }
        return new IndexSubmission(pseudonym, "GlobalFiler", Instant.parse("2024-05-09T17:00:00Z"), loci, false);
    }

    private static List<String> held() throws Exception {
        List<String> pseudonyms = new ArrayList<>();
        JSON.readTree(send("GET", "/index/profiles").body()).get("pseudonyms").forEach(p -> pseudonyms.add(p.asText()));
        return pseudonyms;
    }

    private static HttpResponse<String> post(String path, String type, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + SERVER.port() + path);
    }
}

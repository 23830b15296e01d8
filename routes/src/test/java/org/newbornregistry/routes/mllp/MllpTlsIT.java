package org.newbornregistry.routes.mllp;

import org.newbornregistry.fhir.TestTokens;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;
import org.newbornregistry.NbrApplication;
import org.newbornregistry.adapter.audit.IndexAuditEvents;
import org.newbornregistry.adapter.audit.SecurityAuditEvents;
import org.newbornregistry.conformance.TwinBirth;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The MLLP listener under mutual TLS, over real sockets into the whole application. A CA made up
 * for the run issues the listener's certificate and the clients': the hospital's nursery system,
 * bound by fingerprint to GENERAL HOSPITAL (the sample's MSH-4), and a county lab, bound by subject
 * to COUNTY LAB. A stranger holds a certificate with the hospital's very subject from a CA the
 * listener does not trust.
 */
@CamelSpringBootTest
@SpringBootTest(classes = NbrApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MllpTlsIT {

    private static final int MLLP_PORT = AvailablePortFinder.getNextAvailable();
    private static final Path DIRECTORY = Path.of("target", "mllp-tls", UUID.randomUUID().toString());
    private static final TestPki PKI = TestPki.create(DIRECTORY, "Registry Test CA");
    private static final TestPki.Issued NURSERY = PKI.client("CN=nursery-interface,O=General Hospital");
    private static final TestPki.Issued LAB = PKI.client("CN=county-lab,O=County Lab");
    private static final TestPki.Issued STRANGER = TestPki.create(DIRECTORY.resolve("stranger"), "Stranger CA")
            .client("CN=nursery-interface,O=General Hospital");
    private static final Path SERVER_KEY_STORE = PKI.keyStore("server.p12", PKI.server("CN=localhost,O=Newborn Registry"));
    private static final Path CLIENTS_TRUST_STORE = PKI.trustStore("clients-ca.p12");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nbr.database.embedded.data-dir", () -> "target/embedded-postgres/" + UUID.randomUUID());
        registry.add("nbr.audit.checkpoint-file", () -> "target/audit-checkpoints/" + UUID.randomUUID() + ".log");
        registry.add("nbr.database.embedded.durable", () -> "false");
        registry.add("nbr.mllp.port", () -> MLLP_PORT);
        registry.add("nbr.mllp.tls.enabled", () -> "true");
        registry.add("nbr.mllp.tls.key-store.path", SERVER_KEY_STORE::toString);
        registry.add("nbr.mllp.tls.key-store.password", PKI::password);
        registry.add("nbr.mllp.tls.trust-store.path", CLIENTS_TRUST_STORE::toString);
        registry.add("nbr.mllp.tls.trust-store.password", PKI::password);
        // the fingerprint as some tools print it: lower case, no colons
        registry.add("nbr.mllp.tls.clients[0].fingerprint", () -> sha256(NURSERY));
        registry.add("nbr.mllp.tls.clients[0].sending-facilities", () -> "GENERAL HOSPITAL,2.16.840.1.113883.19.5");
        registry.add("nbr.mllp.tls.clients[0].sending-applications", () -> "NURSERY,LAB");
        registry.add("nbr.mllp.tls.clients[1].subject", () -> "CN=county-lab, O=County Lab");
        registry.add("nbr.mllp.tls.clients[1].sending-facilities", () -> "COUNTY LAB");
    }

    @LocalServerPort
    int httpPort;

    @Test
    void shouldAcceptABirthFromTheClientWhoseCertificateIsBoundToItsFacility() throws Exception {
        // given
        TwinBirth birth = TwinBirth.unique();

        // when
        String ack;
        try (MllpTestClient client = MllpTestClient.tls(MLLP_PORT, context(NURSERY))) {
            ack = client.send(birth.bytes());
        }

        // then
        assertThat(ack).contains("\rMSA|AA|" + birth.controlId());
        assertThat(newborns(birth)).hasSize(1);
    }

    @Test
    void shouldServeAClientThatSpeaksOnlyTls12() throws Exception {
        // given: many interface engines in hospitals do not offer TLS 1.3 yet
        TwinBirth birth = TwinBirth.unique();

        // when
        String ack;
        String protocol;
        try (MllpTestClient client = MllpTestClient.tls(MLLP_PORT, TestPki.clientContext(NURSERY, PKI.certificate(), "TLSv1.2"))) {
            ack = client.send(birth.bytes());
            protocol = client.tlsProtocol();
        }

        // then
        assertThat(protocol).isEqualTo("TLSv1.2");
        assertThat(ack).contains("\rMSA|AA|" + birth.controlId());
    }

    @Test
    void shouldRefuseAndAuditAClientWhoseCertificateIsBoundToAnotherFacility() throws Exception {
        // given: the lab's certificate is valid, but bound to COUNTY LAB, not GENERAL HOSPITAL
        TwinBirth birth = TwinBirth.unique();

        // when
        String ack;
        try (MllpTestClient client = MllpTestClient.tls(MLLP_PORT, context(LAB))) {
            ack = client.send(birth.bytes());
        }

        // then
        assertThat(ack).contains("\rMSA|AR|" + birth.controlId()).contains("\rERR||MSH^1^4|103^").contains("NBR-5012");
        assertThat(newborns(birth)).isEmpty();
        JsonNode stored = storedMessage(birth);
        assertThat(stored.get("status").asText()).isEqualTo("REFUSED");
        assertThat(stored.get("rawAvailable").asBoolean()).as("kept, nothing lost").isTrue();
        assertThat(stored.get("problems").findValuesAsText("code")).containsExactly("NBR-5012");
        AuditEvent event = securityEventOf(stored.get("id").asLong());
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._8);
        AuditEvent.AuditEventAgentComponent sender = event.getAgentFirstRep();
        assertThat(sender.getWho().getDisplay()).isEqualTo("CN=county-lab,O=County Lab");
        assertThat(sender.getWho().getIdentifier().getValue()).isEqualTo(ClientCertificate.of(LAB.certificate()).fingerprint());
        assertThat(sender.getNetwork().getAddress()).isEqualTo("127.0.0.1");
        assertThat(event.getEntityFirstRep().getDetail()).extracting(d -> d.getType() + "=" + d.getValue().primitiveValue())
                .contains("MSH-4=GENERAL HOSPITAL^2.16.840.1.113883.19.5^ISO", "MSH-10=" + birth.controlId());
        assertThat(FhirContext.forR4Cached().newJsonParser().encodeResourceToString(event))
                .doesNotContain(birth.mrn(), birth.motherMrn(), "DOE", "BABY GIRL");
    }

    @Test
    void shouldRefuseAgainWhenAnOperatorReplaysTheMessageOfARefusedSender() throws Exception {
        // given
        TwinBirth birth = TwinBirth.unique();
        try (MllpTestClient client = MllpTestClient.tls(MLLP_PORT, context(LAB))) {
            client.send(birth.bytes());
        }
        long id = storedMessage(birth).get("id").asLong();

        // when
        HttpResponse<String> replayed = TestTokens.http().send(HttpRequest.newBuilder(
                        URI.create(admin() + "/" + id + "/$replay")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(replayed.statusCode()).isEqualTo(200);
        JsonNode replay = new ObjectMapper().readTree(replayed.body());
        assertThat(replay.get("after").get("status").asText()).isEqualTo("REFUSED");
        assertThat(newborns(birth)).isEmpty();
    }

    @Test
    void shouldNotServeAClientWhoseCertificateNoTrustedAuthorityIssued() throws Exception {
        // given
        TwinBirth birth = TwinBirth.unique();

        // when / then
        assertThrows(IOException.class, () -> {
            try (MllpTestClient client = MllpTestClient.tls(MLLP_PORT,
                    TestPki.clientContextIgnoringAuthorityHints(STRANGER, PKI.certificate()))) {
                client.send(birth.bytes());
            }
        });
        assertThat(storedMessages(birth)).isEmpty();
        String fingerprint = ClientCertificate.of(STRANGER.certificate()).fingerprint();
        AuditEvent refused = await().until(() -> refusedClientEvents(fingerprint), events -> !events.isEmpty()).get(0);
        assertThat(refused.getSubtype()).extracting(Coding::getCode).contains("110126", SecurityAuditEvents.TLS_CLIENT_REFUSED);
        assertThat(refused.getAgentFirstRep().getWho().getDisplay()).isEqualTo("CN=nursery-interface,O=General Hospital");
        assertThat(refused.getAgentFirstRep().getNetwork().getAddress()).isEqualTo("127.0.0.1");
        assertThat(refused.getEntityFirstRep().getDetail()).extracting(d -> d.getType() + "=" + d.getValue().primitiveValue())
                .contains("issuer=CN=Stranger CA,O=Newborn Registry Tests");
    }

    private List<AuditEvent> refusedClientEvents(String fingerprint) {
        return fhir().search().byUrl("AuditEvent?subtype=" + IndexAuditEvents.EVENT_SYSTEM + "|" + SecurityAuditEvents.TLS_CLIENT_REFUSED
                        + "&_count=500").returnBundle(Bundle.class).execute().getEntry().stream()
                .map(e -> (AuditEvent) e.getResource())
                .filter(e -> fingerprint.equals(e.getAgentFirstRep().getWho().getIdentifier().getValue())).toList();
    }

    @Test
    void shouldNotServeAndRecordAJdkClientWhoseCertificatesAuthorityTheListenerDoesNotName() throws Exception {
        // given: the JDK presents no certificate when its issuer is not among those the listener names
        TwinBirth birth = TwinBirth.unique();
        int before = handshakeFailures().size();

        // when / then
        assertThrows(IOException.class, () -> {
            try (MllpTestClient client = MllpTestClient.tls(MLLP_PORT, context(STRANGER))) {
                client.send(birth.bytes());
            }
        });
        assertThat(storedMessages(birth)).isEmpty();
        await().until(() -> handshakeFailures().size() > before);
    }

    @Test
    void shouldNotServeAClientWithoutCertificate() throws Exception {
        // given
        TwinBirth birth = TwinBirth.unique();
        int before = handshakeFailures().size();

        // when / then
        assertThrows(IOException.class, () -> {
            try (MllpTestClient client = MllpTestClient.tls(MLLP_PORT, TestPki.clientContext(null, PKI.certificate()))) {
                client.send(birth.bytes());
            }
        });
        assertThat(storedMessages(birth)).isEmpty();
        AuditEvent refused = await().until(this::handshakeFailures, events -> events.size() > before).get(before);
        assertThat(refused.getAgentFirstRep().getWho().getDisplay()).isEqualTo("TLS client without a certificate");
        assertThat(refused.getAgentFirstRep().getNetwork().getAddress()).isEqualTo("127.0.0.1");
        assertThat(refused.getOutcomeDesc()).startsWith("TLS handshake failed: ");
    }

    @Test
    void shouldNotServeAPlainTextClient() throws Exception {
        // given
        TwinBirth birth = TwinBirth.unique();
        int before = handshakeFailures().size();

        // when / then
        assertThrows(IOException.class, () -> {
            try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
                client.send(birth.bytes());
            }
        });
        assertThat(storedMessages(birth)).isEmpty();
        await().until(() -> handshakeFailures().size() > before);
    }

    /** The refused TLS clients that presented no certificate, oldest first. */
    private List<AuditEvent> handshakeFailures() {
        return fhir().search().byUrl("AuditEvent?subtype=" + IndexAuditEvents.EVENT_SYSTEM + "|" + SecurityAuditEvents.TLS_CLIENT_REFUSED
                        + "&_sort=date&_count=500").returnBundle(Bundle.class).execute().getEntry().stream()
                .map(e -> (AuditEvent) e.getResource())
                .filter(e -> !e.getAgentFirstRep().getWho().hasIdentifier()).toList();
    }

    private static SSLContext context(TestPki.Issued client) {
        return TestPki.clientContext(client, PKI.certificate());
    }

    private static String sha256(TestPki.Issued issued) {
        return ClientCertificate.of(issued.certificate()).fingerprint().replace(":", "").toLowerCase();
    }

    private List<Bundle.BundleEntryComponent> newborns(TwinBirth birth) {
        return fhir().search().byUrl("Patient?identifier=" + TwinBirth.MRN_SYSTEM + "|" + birth.mrn())
                .returnBundle(Bundle.class).execute().getEntry();
    }

    private AuditEvent securityEventOf(long messageId) {
        Bundle events = fhir().search().byUrl("AuditEvent?subtype=" + IndexAuditEvents.EVENT_SYSTEM
                        + "|" + SecurityAuditEvents.SENDER_NOT_AUTHORISED + "&_count=500")
                .returnBundle(Bundle.class).execute();
        List<AuditEvent> found = events.getEntry().stream().map(e -> (AuditEvent) e.getResource())
                .filter(e -> String.valueOf(messageId).equals(e.getEntityFirstRep().getWhat().getIdentifier().getValue()))
                .toList();
        assertThat(found).as("security events of message %s", messageId).hasSize(1);
        return found.get(0);
    }

    private JsonNode storedMessage(TwinBirth birth) throws Exception {
        List<JsonNode> messages = storedMessages(birth);
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    private List<JsonNode> storedMessages(TwinBirth birth) throws Exception {
        HttpResponse<String> listed = TestTokens.http().send(HttpRequest.newBuilder(
                URI.create(admin() + "?controlId=" + birth.controlId())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listed.statusCode()).isEqualTo(200);
        List<JsonNode> messages = new ArrayList<>();
        new ObjectMapper().readTree(listed.body()).get("messages").forEach(messages::add);
        return messages;
    }

    private String admin() {
        return "http://localhost:" + httpPort + "/admin/hl7/messages";
    }

    private IGenericClient fhir() {
        return TestTokens.authorised(FhirContext.forR4Cached().newRestfulGenericClient("http://localhost:" + httpPort + "/fhir"));
    }
}

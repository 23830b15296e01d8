package org.newbornregistry.routes.mllp;

import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.MessageHeader;
import org.newbornregistry.fhir.hl7.SenderCheck;
import org.newbornregistry.routes.config.MllpProperties;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What the listener answers about a connection, and what it records when it refuses. */
class CertificateSenderCheckTest {

    private static final TestPki PKI = TestPki.create(Path.of("target", "mllp-tls", "unit"), "Unit Test CA");
    private static final TestPki.Issued LAB = PKI.client("CN=county-lab,O=County Lab");
    private static final MessageHeader HOSPITAL_BIRTH = MessageHeader.read(
            "MSH|^~\\&|NURSERY|GENERAL HOSPITAL^2.16.840.1.113883.19.5^ISO|NBR|REGISTRY|20240501093000||ADT^A01^ADT_A01|C77|P|2.5.1");
    private static final CertificateSenderCheck CHECK = new CertificateSenderCheck(
            MllpClientBindings.of(List.of(new MllpProperties.Client(null, "CN=county-lab,O=County Lab", List.of("COUNTY LAB"), List.of()))),
            Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void shouldRefuseAndBuildTheSecurityEventOfTheConnection() {
        // when
        Optional<SenderCheck.Refusal> refusal = CHECK.forConnection(LAB.certificate(), "/192.0.2.7:51234").check(HOSPITAL_BIRTH);

        // then
        assertThat(refusal).isPresent();
        assertThat(refusal.get().problem().error()).isEqualTo(NbrError.HL7_SENDER_NOT_AUTHORISED);
        assertThat(refusal.get().problem().location()).hasToString("MSH-4");
        AuditEvent event = refusal.get().auditEvent().apply(12L);
        assertThat(event.getRecorded()).isEqualTo(java.util.Date.from(Instant.parse("2024-05-01T10:00:00Z")));
        assertThat(event.getAgentFirstRep().getWho().getIdentifier().getValue())
                .isEqualTo(ClientCertificate.of(LAB.certificate()).fingerprint());
        assertThat(event.getAgentFirstRep().getWho().getDisplay()).isEqualTo("CN=county-lab,O=County Lab");
        assertThat(event.getAgentFirstRep().getNetwork().getAddress()).isEqualTo("192.0.2.7");
        assertThat(event.getEntityFirstRep().getWhat().getIdentifier().getValue()).isEqualTo("12");
    }

    @Test
    void shouldRefuseAConnectionWithoutCertificate() {
        // when
        Optional<SenderCheck.Refusal> refusal = CHECK.forConnection(null, null).check(HOSPITAL_BIRTH);

        // then
        assertThat(refusal).get().extracting(r -> r.problem().error()).isEqualTo(NbrError.HL7_SENDER_NOT_AUTHORISED);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "/192.0.2.7:51234; 192.0.2.7",
            "lab.example/192.0.2.7:51234; 192.0.2.7",
            "/[0:0:0:0:0:0:0:1]:51234; 0:0:0:0:0:0:0:1",
            "192.0.2.7; 192.0.2.7"})
    void shouldReadTheIpAddressOfASocketAddress(String socketAddress, String expected) {
        assertThat(CertificateSenderCheck.networkAddress(socketAddress)).isEqualTo(expected);
    }
}

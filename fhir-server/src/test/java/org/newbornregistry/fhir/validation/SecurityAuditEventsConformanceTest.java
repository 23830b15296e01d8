package org.newbornregistry.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.newbornregistry.adapter.audit.SecurityAuditEvents;
import org.newbornregistry.adapter.hl7.MessageHeader;
import org.newbornregistry.conformance.Samples;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The security alert of a refused MLLP sender meets the registry's AuditEvent profile and carries no message content. */
class SecurityAuditEventsConformanceTest {

    private static final Instant AT = Instant.parse("2024-05-10T08:00:00Z");
    private static final String SAMPLE = new String(Samples.v2("adt-a01-newborn-twin-b.hl7"), StandardCharsets.US_ASCII)
            .replace("\r\n", "\r").replace('\n', '\r');
    private static RegistryValidator validator;

    @BeforeAll
    static void build() {
        validator = SharedValidator.get();
    }

    static Stream<Arguments> events() {
        MessageHeader header = MessageHeader.read(SAMPLE);
        SecurityAuditEvents.Peer peer = new SecurityAuditEvents.Peer("AB:CD:EF", "CN=county-lab,O=County Lab", "192.0.2.7");
        return Stream.of(
                Arguments.of("stored message", SecurityAuditEvents.hl7SenderNotAuthorised(AT, peer, header, 42L,
                        "MSH-4 is not a sending facility bound to the client certificate")),
                Arguments.of("without certificate or store id", SecurityAuditEvents.hl7SenderNotAuthorised(AT,
                        new SecurityAuditEvents.Peer(null, null, null), header, null, "no client certificate")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void shouldMeetTheRegistryAuditEventProfile(String name, AuditEvent event) {
        // when
        List<SingleValidationMessage> errors = validator.validate(event, List.of()).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()).toList();

        // then
        assertThat(errors).extracting(m -> m.getLocationString() + " " + m.getMessage()).isEmpty();
        assertThat(event.getMeta().getProfile()).extracting(p -> p.getValue())
                .containsExactly("https://fhir.newbornregistry.org/StructureDefinition/nbr-audit-event");
        assertThat(event.getType().getCode()).isEqualTo("110113");
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void shouldNameTheClaimedSenderButNoMessageContent(String name, AuditEvent event) {
        // when
        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(event);

        // then
        assertThat(event.getEntityFirstRep().getDetail()).extracting(d -> d.getType() + "=" + d.getValue().primitiveValue())
                .containsExactly("MSH-3=NURSERY", "MSH-4=GENERAL HOSPITAL^2.16.840.1.113883.19.5^ISO", "MSH-10=NBR-SAMPLE-0001");
        assertThat(json).doesNotContain("GH0001", "DOE", "BABY", "JANE", "MAIN ST", "2450");
    }
}

package org.newbornregistry.fhir.validation;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.newbornregistry.adapter.audit.IndexAuditEvents;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every audit event of the way to the national index meets the registry's AuditEvent profile. */
class IndexAuditEventsConformanceTest {

    private static final Instant AT = Instant.parse("2024-05-10T08:00:00Z");
    private static final IndexAuditEvents EVENTS = new IndexAuditEvents("NDIS00001", "https://index.example.org/index");
    private static RegistryValidator validator;

    @BeforeAll
    static void build() {
        validator = SharedValidator.get();
    }

    static Stream<Arguments> events() {
        String genotype = "Observation/g1/_history/2";
        return Stream.of(
                Arguments.of("submission", EVENTS.submission(AT, IndexAuditEvents.Outcome.SUCCESS, "receipt R-1", "p1", genotype)),
                Arguments.of("failed submission", EVENTS.submission(AT, IndexAuditEvents.Outcome.RETRY, "HTTP 503", "p1", genotype)),
                Arguments.of("withheld", EVENTS.submissionWithheld(AT, "WITHDRAWN", "p1", genotype)),
                Arguments.of("cancelled", EVENTS.submissionsCancelled(AT, "WITHDRAWN", "p1", 2)),
                Arguments.of("deletion", EVENTS.deletion(AT, IndexAuditEvents.Outcome.SUCCESS, "deleted", "p1", genotype)),
                Arguments.of("erasure", EVENTS.erasure(AT, "WITHDRAWN", "p1", genotype, 2, 1)),
                Arguments.of("failed step", EVENTS.stepFailed(AT, IndexAuditEvents.Outcome.RETRY, "REVIEW",
                        "NBR-9999 internal error (NullPointerException)", "p1", null)),
                Arguments.of("FHIR read by a hospital's client", org.newbornregistry.adapter.audit.RestAuditEvents.interaction(AT,
                        "read", 200, new org.newbornregistry.adapter.audit.RestAuditEvents.Client("nurse-1", "192.0.2.7",
                                "2.16.840.1.113883.19.5", "ehr-client"), List.of("Patient/p1"), List.of("p1"), null)),
                Arguments.of("HL7 message received, with its control id", org.newbornregistry.adapter.audit.RestAuditEvents.hl7Message(AT,
                        "ADT", "A01", "EPIC", "GOOD HEALTH HOSPITAL", "MSG00001", "AA", 17L,
                        List.of("Patient/p1", "RelatedPerson/m1/_history/1"))),
                Arguments.of("consent decision", EVENTS.consentDecision(AT, "national-index-submission", true, "PERMITTED", "p1", "c1")));
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
        assertThat(event.getEntity()).anyMatch(e -> "Patient/p1".equals(e.getWhat().getReference()));
    }
}

package org.newbornregistry.fhir;

import ca.uhn.hl7v2.AcknowledgmentCode;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.audit.SecurityAuditEvents;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.adapter.hl7.Hl7Problem;
import org.newbornregistry.conformance.TwinBirth;
import org.newbornregistry.fhir.hl7.InboundMessageService;
import org.newbornregistry.fhir.hl7.SenderCheck;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** HL7 v2 messages through the write path and the message store, against the real database. */
class InboundMessageIT extends RegistryIntegrationSupport {

    @Autowired
    InboundMessageService inbound;

    @Test
    void shouldCommitBirthThenAnswerAaAndFindTheNewbornOverFhir() {
        // given
        String sample = uniqueSample();

        // when
        InboundMessageService.Receipt receipt = inbound.receive(bytes(sample));

        // then
        assertThat(receipt.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(receipt.ack()).contains("\rMSA|AA|" + controlId(sample) + "\r");
        Bundle found = client.search().byUrl("Patient?identifier=urn:oid:2.16.840.1.113883.19.5|" + mrn(sample)
                + "&_revinclude=RelatedPerson:patient&_revinclude=Observation:subject&_revinclude=Encounter:subject")
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).extracting(e -> e.getResource().fhirType())
                .containsExactlyInAnyOrder("Patient", "RelatedPerson", "Encounter", "Observation", "Observation");
        assertThat(jdbc.queryForObject("select status from hl7_message where id = ?", String.class, receipt.messageId()))
                .isEqualTo("ACCEPTED");
    }

    @Test
    void shouldAnswerResendWithTheOriginalAckAndWriteNothing() {
        // given
        String sample = uniqueSample();
        InboundMessageService.Receipt first = inbound.receive(bytes(sample));
        Integer versions = jdbc.queryForObject("select count(*) from resource_version", Integer.class);

        // when
        InboundMessageService.Receipt second = inbound.receive(bytes(sample.replace("|20240501093000-0500||ADT", "|20240501094500-0500||ADT")));

        // then
        assertThat(second.duplicate()).isTrue();
        assertThat(second.ack()).isEqualTo(first.ack());
        assertThat(jdbc.queryForObject("select count(*) from resource_version", Integer.class))
                .as("nothing but the resend's audit event").isEqualTo(versions);
    }

    @Test
    void shouldKeepAndAnswerAMessageWithANulByteInItsHeader() {
        // given: a NUL in MSH-10, which PostgreSQL text cannot hold (found by V2IntakeFuzzTest)
        String sample = uniqueSample();
        String damaged = sample.replace("|" + controlId(sample) + "|", "|" + controlId(sample) + "\u0000X|");

        // when
        InboundMessageService.Receipt receipt = inbound.receive(damaged.getBytes(StandardCharsets.ISO_8859_1));

        // then
        assertThat(receipt.ackCode()).isNotEqualTo(AcknowledgmentCode.AA);
        assertThat(receipt.messageId()).as("kept in the message store").isNotNull();
        assertThat(jdbc.queryForObject("select raw from hl7_message where id = ?", byte[].class, receipt.messageId()))
                .isEqualTo(damaged.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void shouldRefuseTheSameControlIdWithOtherContent() {
        // given
        String sample = uniqueSample();
        inbound.receive(bytes(sample));

        // when
        InboundMessageService.Receipt reused = inbound.receive(bytes(sample.replace("DOE^BABY GIRL B", "DOE^ANNA")));

        // then
        assertThat(reused.ackCode()).isEqualTo(AcknowledgmentCode.AR);
        assertThat(reused.ack()).contains("NBR-5010");
    }

    @Test
    void shouldKeepAndRefuseAMessageWhoseTypeOrVersionIsLongerThanAnyRealOne() {
        // given: MSH-9's trigger event and MSH-12 longer than the columns that once held them (varchar 20 and 10)
        String sample = uniqueSample();
        String longEvent = sample.replace("ADT^A01^ADT_A01", "ADT^A01" + "X".repeat(40) + "^ADT_A01");
        String longVersion = uniqueSample().replace("|P|2.5.1", "|P|2.5.1.1.1.1.1.1.1.1");

        // when
        InboundMessageService.Receipt event = inbound.receive(bytes(longEvent));
        InboundMessageService.Receipt version = inbound.receive(bytes(longVersion));

        // then: refused for what they say (never "send again later"), and kept
        assertThat(event.ackCode()).isEqualTo(AcknowledgmentCode.AR);
        assertThat(event.ack()).contains("NBR-5003").doesNotContain("NBR-9001");
        assertThat(version.ackCode()).isEqualTo(AcknowledgmentCode.AR);
        assertThat(version.ack()).contains("NBR-5004").doesNotContain("NBR-9001");
        for (InboundMessageService.Receipt receipt : List.of(event, version)) {
            assertThat(receipt.messageId()).as("kept in the message store").isNotNull();
        }
        assertThat(jdbc.queryForObject("select trigger_event from hl7_message where id = ?", String.class, event.messageId()))
                .hasSize(43);
    }

    @Test
    void shouldUpdateTheNewbornOnA08InsteadOfCreatingAnother() {
        // given
        String birth = uniqueSample();
        inbound.receive(bytes(birth));
        String rename = birth.replace("ADT^A01^ADT_A01|" + controlId(birth), "ADT^A08^ADT_A01|" + controlId(birth) + "R")
                .replace("EVN|A01", "EVN|A08").replace("DOE^BABY GIRL B^^^^^NB", "DOE^ANNA^^^^^L");

        // when
        InboundMessageService.Receipt receipt = inbound.receive(bytes(rename));

        // then
        assertThat(receipt.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        Bundle found = client.search().byUrl("Patient?identifier=urn:oid:2.16.840.1.113883.19.5|" + mrn(birth)
                + "&_revinclude=RelatedPerson:patient").returnBundle(Bundle.class).execute();
        Patient patient = (Patient) found.getEntry().stream().filter(e -> e.getResource() instanceof Patient)
                .findFirst().orElseThrow().getResource();
        assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("ANNA");
        assertThat(patient.getMeta().getVersionId()).isEqualTo("2");
        assertThat(found.getEntry()).hasSize(2);
    }

    @Test
    void shouldStoreAndRejectDamagedMessageWithAe() {
        // given: PID broken by a line break
        String damaged = uniqueSample().replace("DOE^BABY GIRL B", "DOE^BABY\nGIRL B");

        // when
        InboundMessageService.Receipt receipt = inbound.receive(bytes(damaged));

        // then
        assertThat(receipt.ackCode()).isEqualTo(AcknowledgmentCode.AE);
        assertThat(receipt.ack()).contains("NBR-5006");
        assertThat(jdbc.queryForObject("select status from hl7_message where id = ?", String.class, receipt.messageId()))
                .isEqualTo("REJECTED");
        assertThat(jdbc.queryForObject("select raw is not null from hl7_message where id = ?", Boolean.class, receipt.messageId()))
                .isTrue();
    }

    @Test
    void shouldRefuseAMessageItsConnectionMayNotSendKeepItAndRecordASecurityEvent() {
        // given
        String sample = uniqueSample();

        // when
        InboundMessageService.Receipt receipt = inbound.receive(bytes(sample), NOT_THIS_FACILITY);

        // then
        assertThat(receipt.ackCode()).isEqualTo(AcknowledgmentCode.AR);
        assertThat(receipt.ack()).contains("\rERR||MSH^1^4|103^").contains("NBR-5012");
        assertThat(jdbc.queryForMap("select status, dedupe_key, raw is not null as kept from hl7_message where id = ?",
                receipt.messageId())).containsEntry("status", "REFUSED").containsEntry("dedupe_key", null)
                .containsEntry("kept", true);
        assertThat(newborns(sample)).isEmpty();
        assertThat(securityEventsOf(receipt.messageId())).hasSize(1);
    }

    @Test
    void shouldStillProcessTheRealSendersMessageAfterAnotherConnectionClaimedItsControlId() {
        // given
        String sample = uniqueSample();
        inbound.receive(bytes(sample), NOT_THIS_FACILITY);

        // when
        InboundMessageService.Receipt real = inbound.receive(bytes(sample));

        // then
        assertThat(real.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        assertThat(real.duplicate()).isFalse();
        assertThat(newborns(sample)).hasSize(1);
    }

    @Test
    void shouldRefuseAgainWhenAMessageItsConnectionMayNotSendIsReplayed() {
        // given
        String sample = uniqueSample();
        long id = inbound.receive(bytes(sample), NOT_THIS_FACILITY).messageId();

        // when
        InboundMessageService.Replay replay = inbound.replay(id);

        // then
        assertThat(replay.statusAfter()).isEqualTo("REFUSED");
        assertThat(replay.ackCodeAfter()).isEqualTo("AR");
        assertThat(jdbc.queryForObject("select ack from hl7_message where id = ?", String.class, id))
                .contains("MSH^1^4|103^").contains("NBR-5012");
        assertThat(newborns(sample)).isEmpty();
    }

    /** A connection that may send for no facility: refuses every message at MSH-4. */
    private static final SenderCheck NOT_THIS_FACILITY = header -> Optional.of(new SenderCheck.Refusal(
            new Hl7Problem(NbrError.HL7_SENDER_NOT_AUTHORISED, Hl7Location.field("MSH", 4), "not this facility"),
            id -> SecurityAuditEvents.hl7SenderNotAuthorised(Instant.now(),
                    new SecurityAuditEvents.Peer("AB:CD", "CN=test", "192.0.2.1"), header, id, "not this facility")));

    private List<Bundle.BundleEntryComponent> newborns(String sample) {
        return client.search().byUrl("Patient?identifier=urn:oid:2.16.840.1.113883.19.5|" + mrn(sample))
                .returnBundle(Bundle.class).execute().getEntry();
    }

    private List<AuditEvent> securityEventsOf(long messageId) {
        Bundle events = client.search().byUrl("AuditEvent?type=http://dicom.nema.org/resources/ontology/DCM|110113&_count=500")
                .returnBundle(Bundle.class).execute();
        return events.getEntry().stream().map(e -> (AuditEvent) e.getResource())
                .filter(e -> e.getEntity().stream().anyMatch(entity ->
                        String.valueOf(messageId).equals(entity.getWhat().getIdentifier().getValue())))
                .toList();
    }

    private static String uniqueSample() {
        return TwinBirth.unique().text();
    }

    private static String controlId(String message) {
        return message.split("\r")[0].split("\\|")[9];
    }

    private static String mrn(String message) {
        return message.substring(message.indexOf("PID|1||") + 7, message.indexOf("^^^GENERAL"));
    }

    private static byte[] bytes(String message) {
        return message.getBytes(StandardCharsets.US_ASCII);
    }
}

package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.newbornregistry.fhir.audit.AuditTrail;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Searching the audit store over FHIR: each parameter the CapabilityStatement lists for
 * AuditEvent on its own column, ANDed and ORed as FHIR search says, sorted by date either way and
 * paged by the next links; anything else refused with 400 rather than ignored.
 */
class AuditEventSearchIT extends RegistryIntegrationSupport {

    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final Instant T0 = Instant.parse("2031-03-04T10:00:00Z");

    @Autowired
    AuditTrail trail;

    /** What makes this test's events its own: their agent's name and a patient no one else names. */
    private String agent;
    private String patient;

    @BeforeEach
    void fiveEvents() {
        agent = "searcher-" + UUID.randomUUID();
        patient = UUID.randomUUID().toString();
        for (int i = 0; i < 5; i++) {
            AuditEvent event = new AuditEvent();
            event.setType(i % 2 == 0 ? new Coding(DCM, "110107", "Import")
                    : new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
            event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", i < 3 ? "read" : "create", null));
            event.setAction(i < 3 ? AuditEvent.AuditEventAction.R : AuditEvent.AuditEventAction.C);
            event.setOutcome(i == 4 ? AuditEvent.AuditEventOutcome._4 : AuditEvent.AuditEventOutcome._0);
            event.setRecorded(Date.from(T0.plusSeconds(60L * i)));
            event.addAgent().setRequestor(true).setName(agent).setWho(new Reference().setIdentifier(
                    new Identifier().setSystem("urn:test:client").setValue(agent)).setDisplay(agent));
            event.getSource().setObserver(new Reference("Device/registry-" + (i % 2)));
            event.addEntity().setWhat(new Reference("Patient/" + patient + "/_history/" + (i + 1)));
            event.addEntity().setWhat(new Reference("Observation/obs-" + patient + "-" + i));
            trail.record(event);
        }
    }

    @Test
    void shouldFindByEachParameterOnItsOwn() {
        assertThat(minutes("patient=Patient/" + patient)).containsExactly(0, 1, 2, 3, 4);
        assertThat(minutes("patient=" + patient)).as("the type is implied").containsExactly(0, 1, 2, 3, 4);
        assertThat(minutes("entity=Observation/obs-" + patient + "-3")).containsExactly(3);
        assertThat(minutes("entity=Patient/" + patient + "/_history/2")).as("a version names the record").containsExactly(0, 1, 2, 3, 4);
        assertThat(minutes("agent:identifier=urn:test:client|" + agent)).containsExactly(0, 1, 2, 3, 4);
        assertThat(minutes("action=C")).containsExactly(3, 4);
        assertThat(minutes("outcome=4")).containsExactly(4);
        assertThat(minutes("type=" + DCM + "|110107")).containsExactly(0, 2, 4);
        assertThat(minutes("type=rest")).as("a code in any system").containsExactly(1, 3);
        assertThat(minutes("subtype=http://hl7.org/fhir/restful-interaction|create")).containsExactly(3, 4);
        assertThat(minutes("source=Device/registry-1")).containsExactly(1, 3);
        assertThat(minutes("date=2031-03-04T10:01:00Z")).containsExactly(1);
    }

    /** A date without a time is a day somewhere on Earth, as HAPI reads it: widened by the time zones' offsets. */
    @ParameterizedTest
    @CsvSource({
            "gt2031-03-04T10:02:00Z, 3|4",
            "ge2031-03-04T10:02:00Z, 2|3|4",
            "lt2031-03-04T10:02:00Z, 0|1",
            "le2031-03-04T10:02:00Z, 0|1|2",
            "sa2031-03-04T10:02:00Z, 3|4",
            "eb2031-03-04T10:02:00Z, 0|1",
            "2031-03-04, 0|1|2|3|4",
            "2031-03-06, ''",
            "eq2031-03, 0|1|2|3|4"})
    void shouldFindByDateWithEveryPrefix(String date, String expected) {
        List<Integer> minutes = expected.isEmpty() ? List.of()
                : java.util.Arrays.stream(expected.split("\\|")).map(Integer::valueOf).toList();
        assertThat(minutes("date=" + date)).containsExactlyElementsOf(minutes);
    }

    @Test
    void shouldAndRepeatedParametersAndOrCommaSeparatedValues() {
        assertThat(minutes("action=R,C&outcome=0&date=ge2031-03-04T10:01:00Z&date=le2031-03-04T10:03:00Z")).containsExactly(1, 2, 3);
        assertThat(minutes("entity=Observation/obs-" + patient + "-1,Observation/obs-" + patient + "-4")).containsExactly(1, 4);
    }

    @Test
    void shouldSortByDateEitherWayAndPageThroughNextLinks() {
        // when
        Bundle first = client.search().byUrl("AuditEvent?agent-name=" + agent + "&_sort=-date&_count=2").returnBundle(Bundle.class)
                .execute();
        List<Integer> all = new ArrayList<>(minutes(first));
        Bundle page = first;
        while (page.getLink(Bundle.LINK_NEXT) != null) {
            page = client.loadPage().next(page).execute();
            all.addAll(minutes(page));
        }

        // then
        assertThat(minutes(first)).containsExactly(4, 3);
        assertThat(all).containsExactly(4, 3, 2, 1, 0);
        assertThat(minutes("_sort=date")).containsExactly(0, 1, 2, 3, 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AuditEvent?address=127.0.0.1", "AuditEvent?_sort=_lastUpdated", "AuditEvent?entity=obs-1",
            "AuditEvent?date=ne2031-03-04", "AuditEvent?date=yesterday", "AuditEvent?outcome:not=0", "AuditEvent?_count=x",
            "Patient?_revinclude=AuditEvent:entity"})
    void shouldRefuseWhatTheAuditStoreDoesNotServeWith400(String search) {
        assertThatThrownBy(() -> client.search().byUrl(search).returnBundle(Bundle.class).execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));
    }

    private List<Integer> minutes(String search) {
        return minutes(client.search().byUrl("AuditEvent?agent-name=" + agent + "&" + search + "&_count=50")
                .returnBundle(Bundle.class).execute());
    }

    private static List<Integer> minutes(Bundle bundle) {
        return bundle.getEntry().stream().map(e -> (AuditEvent) e.getResource())
                .map(e -> (int) ((e.getRecorded().toInstant().getEpochSecond() - T0.getEpochSecond()) / 60)).toList();
    }
}

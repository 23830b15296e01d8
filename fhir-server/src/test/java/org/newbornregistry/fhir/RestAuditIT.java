package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every FHIR interaction leaves an AuditEvent naming its patient; writes record theirs in their own transaction. */
class RestAuditIT extends RegistryIntegrationSupport {

    @Test
    void shouldAuditCreateReadSearchAndAFailedReadOfANewborn() {
        // given
        IIdType id = client.create().resource(Fixtures.newborn(uniqueSystem(), "MRN-AUDIT")).execute().getId();

        // when
        client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        client.search().byUrl("Patient?_id=" + id.getIdPart()).returnBundle(Bundle.class).execute();
        assertThatThrownBy(() -> client.read().resource(Patient.class).withId("no-such-newborn").execute())
                .isInstanceOf(ResourceNotFoundException.class);

        // then
        List<AuditEvent> events = eventsAbout(id.getIdPart());
        assertThat(events).extracting(e -> e.getSubtypeFirstRep().getCode()).containsExactly("create", "read", "search-type");
        assertThat(events).allSatisfy(e -> assertThat(e.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0));
        AuditEvent search = events.get(2);
        assertThat(search.getEntity()).anyMatch(e -> e.hasQuery() && new String(e.getQuery()).contains("_id="));
        assertThat(failedReads()).isPositive();
    }

    @Test
    void shouldRecordTheWritesEventInTheWritesTransaction() {
        // given
        long before = jdbc.queryForObject("select count(*) from audit_event", Long.class);

        // when
        IIdType id = client.create().resource(Fixtures.newborn(uniqueSystem(), "MRN-TX")).execute().getId();

        // then: the create's event exists as soon as the create is answered, and is an entry of the audit log
        List<AuditEvent> events = eventsAbout(id.getIdPart());
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getEntity()).as("the version written")
                .anyMatch(e -> ("Patient/" + id.getIdPart() + "/_history/1").equals(e.getWhat().getReference()));
        assertThat(jdbc.queryForObject("select count(*) from audit_event", Long.class)).isGreaterThan(before);
    }

    @Test
    void shouldSearchAuditEventsByPatientAgentTypeDateAndOutcomeAndExportARange() throws Exception {
        // given
        Instant from = Instant.now().minusSeconds(1);
        IIdType id = client.create().resource(Fixtures.newborn(uniqueSystem(), "MRN-SEARCH")).execute().getId();
        client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        Instant to = Instant.now().plusSeconds(1);

        // when
        Bundle found = client.search().byUrl("AuditEvent?patient=Patient/" + id.getIdPart()
                + "&agent-name=test-client&type=http://terminology.hl7.org/CodeSystem/audit-event-type|rest"
                + "&date=ge" + from + "&outcome=0").returnBundle(Bundle.class).execute();
        HttpResponse<String> export = TestTokens.http().send(HttpRequest.newBuilder(URI.create(
                        baseUrl().replace("/fhir", "") + "/audit/events/export?from=" + from + "&to=" + to)).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(found.getEntry()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(export.statusCode()).isEqualTo(200);
        List<AuditEvent> exported = export.body().lines().map(line -> FHIR.newJsonParser().parseResource(AuditEvent.class, line)).toList();
        assertThat(exported).anyMatch(e -> e.getEntity().stream()
                .anyMatch(entity -> ("Patient/" + id.getIdPart()).equals(entity.getWhat().getReference())));
    }

    private List<AuditEvent> eventsAbout(String patientId) {
        return jdbc.queryForList("""
                        select content from audit_event where content like ? order by entry_id""", String.class,
                        "%\"reference\":\"Patient/" + patientId + "%").stream()
                .map(json -> FHIR.newJsonParser().parseResource(AuditEvent.class, json)).toList();
    }

    private long failedReads() {
        return jdbc.queryForObject("""
                select count(*) from audit_event where content like '%"outcome":"4"%' and content like '%"code":"read"%'""",
                Long.class);
    }
}

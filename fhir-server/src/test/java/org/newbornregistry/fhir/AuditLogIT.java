package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.Test;
import org.newbornregistry.fhir.audit.AuditTrail;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit log is written by the registry alone, append-only through the API and in the
 * database, and every AuditEvent recorded is an entry of it whose leaf hashes its stored JSON.
 */
class AuditLogIT extends RegistryIntegrationSupport {

    @Autowired
    AuditTrail trail;

    @Test
    void shouldRefuseCreateUpdateAndDeleteOfAnAuditEventWith405() {
        // given
        String id = recorded("update-delete");
        AuditEvent stored = client.read().resource(AuditEvent.class).withId(id).execute();
        stored.setOutcome(AuditEvent.AuditEventOutcome._8);

        // then
        assertThatThrownBy(() -> client.create().resource(event("forged")).execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(405);
                    assertThat(nbrCode(e)).isEqualTo("NBR-3008");
                });
        assertThatThrownBy(() -> client.update().resource(stored).execute()).isInstanceOfSatisfying(BaseServerResponseException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(405));
        assertThatThrownBy(() -> client.delete().resourceById(new IdType("AuditEvent", id)).execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(405);
                    assertThat(nbrCode(e)).isEqualTo("NBR-3008");
                });
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(event("in a transaction")).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");
        assertThatThrownBy(() -> client.transaction().withBundle(transaction).execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> assertThat(nbrCode(e)).isEqualTo("NBR-3008"));
        assertThat(client.read().resource(AuditEvent.class).withId(id).execute().getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where content like '%forged%' or content like '%in a transaction%'",
                Long.class)).isZero();
    }

    @Test
    void shouldMakeEveryRecordedAuditEventAnEntryWhoseLeafHashIsOfItsStoredJsonAndWhichIsReadAsStored() throws Exception {
        // given
        String id = recorded("entry");

        // when
        String content = jdbc.queryForObject("select content from audit_event where event_id = ?", String.class, id);
        byte[] leafHash = jdbc.queryForObject("select leaf_hash from audit_event where event_id = ?", byte[].class, id);
        AuditEvent read = client.read().resource(AuditEvent.class).withId(id).execute();

        // then
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update((byte) 0);
        assertThat(leafHash).isEqualTo(sha256.digest(content.getBytes(StandardCharsets.UTF_8)));
        assertThat(read.getMeta().getVersionId()).isEqualTo("1");
        assertThat(read.getEntityFirstRep().getWhat().getDisplay()).isEqualTo("entry");
        assertThat(jdbc.queryForObject("select count(*) from resource where res_type = 'AuditEvent'", Long.class))
                .as("no AuditEvent in the generic resource store").isZero();
        assertThatThrownBy(() -> client.read().resource(AuditEvent.class).withId(new IdType("AuditEvent", id, "2")).execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
    }

    @Test
    void shouldRefuseUpdateDeleteAndTruncateOfTheAuditLogInTheDatabase() {
        // given
        String id = recorded("sql");

        // then
        for (String sql : new String[]{
                "update audit_event set content = replace(content, 'sql', 'xyz') where event_id = '" + id + "'",
                "delete from audit_event where event_id = '" + id + "'",
                "truncate audit_event cascade", "truncate audit_leaf cascade", "truncate audit_checkpoint cascade",
                "truncate audit_cosignature"}) {
            assertThatThrownBy(() -> jdbc.execute(sql)).as(sql)
                    .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        }
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_id = ?", Long.class, id)).isOne();
    }

    private String recorded(String what) {
        AuditEvent event = event(what);
        trail.record(event);
        return event.getIdElement().getIdPart();
    }

    private static AuditEvent event(String what) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", "read", "read"));
        event.setAction(AuditEvent.AuditEventAction.R).setRecorded(new Date()).setOutcome(AuditEvent.AuditEventOutcome._0);
        event.addAgent().setRequestor(true).getWho().setDisplay("test client");
        event.getSource().getObserver().setDisplay("registry");
        event.addEntity().getWhat().setDisplay(what);
        return event;
    }
}

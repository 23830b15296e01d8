package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.instance.model.api.IIdType;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The audit log is append-only through the API and in the database, and every AuditEvent stored is an entry of it. */
class AuditLogIT extends RegistryIntegrationTest {

    @Test
    void shouldRefuseUpdateAndDeleteOfAnAuditEventWith405() {
        // given
        IIdType id = client.create().resource(event("update-delete")).execute().getId();
        AuditEvent stored = client.read().resource(AuditEvent.class).withId(id.getIdPart()).execute();
        stored.setOutcome(AuditEvent.AuditEventOutcome._8);

        // then
        assertThatThrownBy(() -> client.update().resource(stored).execute()).isInstanceOfSatisfying(BaseServerResponseException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(405));
        assertThatThrownBy(() -> client.delete().resourceById(id.toUnqualifiedVersionless()).execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(405);
                    assertThat(nbrCode(e)).isEqualTo("NBR-3008");
                });
        assertThat(client.read().resource(AuditEvent.class).withId(id.getIdPart()).execute().getMeta().getVersionId()).isEqualTo("1");
    }

    @Test
    void shouldMakeEveryStoredAuditEventAnEntryWhoseLeafHashIsOfItsStoredJson() throws Exception {
        // given
        IIdType id = client.create().resource(event("entry")).execute().getId();

        // when
        String content = jdbc.queryForObject("""
                select v.content from resource_version v join resource r on r.pid = v.res_pid
                where r.res_type = 'AuditEvent' and r.res_id = ?""", String.class, id.getIdPart());
        byte[] leafHash = jdbc.queryForObject("""
                select e.leaf_hash from audit_entry e join resource r on r.pid = e.res_pid
                where r.res_type = 'AuditEvent' and r.res_id = ?""", byte[].class, id.getIdPart());

        // then
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update((byte) 0);
        assertThat(leafHash).isEqualTo(sha256.digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldRefuseUpdateAndDeleteOfTheAuditLogInTheDatabase() {
        // given
        IIdType id = client.create().resource(event("sql")).execute().getId();
        long pid = jdbc.queryForObject("select pid from resource where res_type = 'AuditEvent' and res_id = ?", Long.class, id.getIdPart());

        // then
        assertThatThrownBy(() -> jdbc.update("update resource_version set content = replace(content, 'sql', 'xyz') where res_pid = ?", pid))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("delete from resource_version where res_pid = ?", pid))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("update resource set deleted = true where pid = ?", pid))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("update audit_entry set leaf_hash = '\\x00' where res_pid = ?", pid))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("delete from audit_entry where res_pid = ?", pid))
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("append-only");
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

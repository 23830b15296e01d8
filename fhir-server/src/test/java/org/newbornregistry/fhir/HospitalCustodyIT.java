package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.hl7v2.AcknowledgmentCode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.TwinBirth;
import org.newbornregistry.fhir.messages.InboundMessageService;
import org.newbornregistry.fhir.security.Role;
import org.newbornregistry.fhir.store.Custodian;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A hospital's token names its organisation; the registry records that organisation as custodian
 * of what the hospital registers (HL7 messages: their MSH-4), and the hospital sees and changes only
 * the records in its custody.
 */
class HospitalCustodyIT extends RegistryIntegrationTest {

    private static final String SAINT_ANNE = "2.16.840.1.113883.3.9001";
    private static final String GENERAL = "2.16.840.1.113883.19.5";

    @Autowired
    InboundMessageService inbound;

    @Test
    void shouldRecordTheTokensOrganisationAsCustodianWhateverTheClientTagged() {
        // given
        Patient newborn = Fixtures.newborn(uniqueSystem(), "M1");
        newborn.getMeta().addTag(Custodian.TAG_SYSTEM, GENERAL, null);

        // when
        String id = hospital(SAINT_ANNE, "anne").create().resource(newborn).execute().getId().toUnqualifiedVersionless().getValue();

        // then
        Patient stored = hospital(SAINT_ANNE, "anne").read().resource(Patient.class).withUrl(id).execute();
        assertThat(stored.getMeta().getTag()).filteredOn(t -> Custodian.TAG_SYSTEM.equals(t.getSystem()))
                .extracting(Coding::getCode).containsExactly(SAINT_ANNE);
    }

    @Test
    void shouldFindOnlyTheSearchingHospitalsOwnNewborns() {
        // given
        String system = uniqueSystem();
        hospital(SAINT_ANNE, "anne").create().resource(Fixtures.newborn(system, "M1")).execute();

        // when
        Bundle byOwner = hospital(SAINT_ANNE, "anne").search().byUrl("Patient?identifier=" + system + "|M1").returnBundle(Bundle.class).execute();
        Bundle byOther = hospital(GENERAL, "general").search().byUrl("Patient?identifier=" + system + "|M1").returnBundle(Bundle.class).execute();

        // then
        assertThat(byOwner.getEntry()).hasSize(1);
        assertThat(byOther.getEntry()).isEmpty();
    }

    @Test
    void shouldRefuseAndAuditAnotherHospitalsRead() {
        // given
        String id = hospital(SAINT_ANNE, "anne").create().resource(Fixtures.newborn(uniqueSystem(), "M1")).execute()
                .getId().toUnqualifiedVersionless().getValue();
        String subject = "general-" + UUID.randomUUID();

        // when / then
        assertThatThrownBy(() -> hospital(GENERAL, subject).read().resource(Patient.class).withUrl(id).execute())
                .isInstanceOf(ForbiddenOperationException.class);
        assertThat(deniedEventsOf(subject)).isEqualTo(1);
        assertThat(jdbc.queryForObject("""
                select count(*) from resource r join resource_version v on v.res_pid = r.pid
                where r.res_type = 'AuditEvent' and v.content like ?""", Long.class, "%\"display\":\"" + subject + "\"%"))
                .as("recorded once, as refused, not also as read").isEqualTo(1);
    }

    @Test
    void shouldRefuseAnotherHospitalsUpdateAndKeepTheRecord() {
        // given
        Patient newborn = Fixtures.newborn(uniqueSystem(), "M1");
        String id = hospital(SAINT_ANNE, "anne").create().resource(newborn).execute().getId().toUnqualifiedVersionless().getIdPart();
        Patient changed = newborn.copy().setName(java.util.List.of(new HumanName().setFamily("CHANGED")));
        changed.setId(id);

        // when / then
        assertThatThrownBy(() -> hospital(GENERAL, "general").update().resource(changed).execute())
                .isInstanceOfSatisfying(ForbiddenOperationException.class, e -> assertThat(nbrCode(e)).isEqualTo("NBR-3009"));
        assertThat(client.read().resource(Patient.class).withId(id).execute().getMeta().getVersionId()).isEqualTo("1");
    }

    @Test
    void shouldNotLetAnotherHospitalsConditionalUpdateReachTheRecord() {
        // given
        String system = uniqueSystem();
        Patient newborn = Fixtures.newborn(system, "M1");
        String id = hospital(SAINT_ANNE, "anne").create().resource(newborn).execute().getId().toUnqualifiedVersionless().getIdPart();
        Patient changed = newborn.copy().setName(java.util.List.of(new HumanName().setFamily("CHANGED")));

        // when / then: the condition finds nothing of the other hospital's, so the update would create a rival record
        assertThatThrownBy(() -> hospital(GENERAL, "general").update().resource(changed)
                .conditionalByUrl("Patient?identifier=" + system + "|M1").execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> assertThat(nbrCode(e)).isEqualTo("NBR-3001"));
        assertThat(client.read().resource(Patient.class).withId(id).execute().getMeta().getVersionId()).isEqualTo("1");
    }

    @Test
    void shouldKeepTheCustodianWhenALabUpdatesTheHospitalsSpecimen() {
        // given
        Specimen spot = Fixtures.bloodSpot(uniqueSystem(), "CARD-1");
        String id = hospital(SAINT_ANNE, "anne").create().resource(spot).execute().getId().toUnqualifiedVersionless().getIdPart();
        spot.setId(id);
        spot.getCollection().setQuantity(new org.hl7.fhir.r4.model.Quantity(5));

        // when
        TestTokens.authorised(FHIR.newRestfulGenericClient(baseUrl()), TestTokens.of(Role.LAB)).update().resource(spot).execute();

        // then
        Specimen stored = hospital(SAINT_ANNE, "anne").read().resource(Specimen.class).withId(id).execute();
        assertThat(stored.getMeta().getVersionId()).isEqualTo("2");
        assertThat(custodianOf(stored)).isEqualTo(SAINT_ANNE);
    }

    @Test
    void shouldMakeTheSendingFacilityCustodianOfWhatAnHl7MessageRegisters() {
        // given
        String message = TwinBirth.unique().text();
        String mrn = message.substring(message.indexOf("PID|1||") + 7, message.indexOf("^^^GENERAL"));

        // when
        InboundMessageService.Receipt receipt = inbound.receive(message.getBytes(StandardCharsets.US_ASCII));

        // then
        assertThat(receipt.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        String search = "Patient?identifier=urn:oid:2.16.840.1.113883.19.5|" + mrn;
        Bundle bySender = hospital(GENERAL, "general").search().byUrl(search).returnBundle(Bundle.class).execute();
        assertThat(bySender.getEntry()).singleElement().satisfies(e -> assertThat(custodianOf(e.getResource())).isEqualTo(GENERAL));
        assertThat(hospital(SAINT_ANNE, "anne").search().byUrl(search).returnBundle(Bundle.class).execute().getEntry()).isEmpty();
    }

    private IGenericClient hospital(String organisation, String subject) {
        return TestTokens.authorised(FHIR.newRestfulGenericClient(baseUrl()),
                TestTokens.issuer().mint(subject, Role.HOSPITAL.scope(), organisation, Duration.ofMinutes(5)));
    }

    private static String custodianOf(Resource resource) {
        return Custodian.of(resource).orElse(null);
    }

    private long deniedEventsOf(String user) {
        return jdbc.queryForObject("""
                        select count(*) from resource r join resource_version v on v.res_pid = r.pid
                        where r.res_type = 'AuditEvent' and v.content like ? and v.content like ?""", Long.class,
                "%\"display\":\"" + user + "\"%", "%\"outcomeDesc\":\"HTTP 403\"%");
    }
}

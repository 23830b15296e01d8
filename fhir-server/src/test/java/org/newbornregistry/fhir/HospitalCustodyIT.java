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
import org.newbornregistry.fhir.hl7.InboundMessageService;
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
class HospitalCustodyIT extends RegistryIntegrationSupport {

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
                select count(*) from audit_event where content like ?""", Long.class, "%\"display\":\"" + subject + "\"%"))
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

    @Test
    void shouldRefuseAHospitalRegisteringANewbornUnderAnotherHospitalsIdentifier() {
        // given: General holds records, so its OID is known to be its own; Saint Anne tries its record number first
        hospital(GENERAL, "general").create().resource(Fixtures.newborn("urn:oid:" + GENERAL, "G-" + UUID.randomUUID())).execute();
        String mrn = "G-" + UUID.randomUUID();

        // when / then: as its own patient, and as a specimen under General's specimen arc
        assertThatThrownBy(() -> hospital(SAINT_ANNE, "anne").create().resource(Fixtures.newborn("urn:oid:" + GENERAL, mrn)).execute())
                .isInstanceOfSatisfying(ForbiddenOperationException.class, e -> assertThat(nbrCode(e)).isEqualTo("NBR-3009"));
        assertThatThrownBy(() -> hospital(SAINT_ANNE, "anne").create().resource(Fixtures.bloodSpot("urn:oid:" + GENERAL + ".4", mrn))
                .execute()).isInstanceOfSatisfying(ForbiddenOperationException.class, e -> assertThat(nbrCode(e)).isEqualTo("NBR-3009"));
        assertThat(jdbc.queryForObject("select count(*) from business_identifier where value = ?", Integer.class, mrn)).isZero();
        assertThat(hospital(GENERAL, "general").create().resource(Fixtures.newborn("urn:oid:" + GENERAL, mrn)).execute().getCreated())
                .as("General registers it itself").isTrue();
    }

    @Test
    void shouldAnswerAnotherHospitalsBirthMessageForANewbornInGeneralsCustodyWithoutTouchingOrNamingIt() {
        // given: General's newborn, and Saint Anne's birth message carrying General's record number
        String message = TwinBirth.unique().text();
        assertThat(inbound.receive(message.getBytes(StandardCharsets.US_ASCII)).ackCode()).isEqualTo(AcknowledgmentCode.AA);
        String mrn = message.substring(message.indexOf("PID|1||") + 7, message.indexOf("^^^GENERAL"));
        Patient before = onlyNewborn(mrn);
        String foreign = message.replace("|GENERAL HOSPITAL^2.16.840.1.113883.19.5^ISO|", "|SAINT ANNE^" + SAINT_ANNE + "^ISO|")
                .replace("|NBR-SAMPLE", "|ANNE-SAMPLE").replace("ADT^A01^ADT_A01|", "ADT^A08^ADT_A01|ANNE")
                .replace("DOE^BABY GIRL B", "TAKEN^OVER");

        // when
        InboundMessageService.Receipt receipt = inbound.receive(foreign.getBytes(StandardCharsets.US_ASCII));

        // then
        assertThat(receipt.ackCode()).isNotEqualTo(AcknowledgmentCode.AA);
        assertThat(receipt.ack()).contains("NBR-3009").doesNotContain(before.getIdPart());
        Patient after = onlyNewborn(mrn);
        assertThat(after.getMeta().getVersionId()).isEqualTo(before.getMeta().getVersionId());
        assertThat(custodianOf(after)).isEqualTo(GENERAL);
        assertThat(jdbc.queryForObject("select status from hl7_message where id = ?", String.class, receipt.messageId()))
                .as("kept for an operator to see").isIn("REJECTED", "REFUSED");
    }

    @Test
    void shouldRefuseAnotherHospitalsConsentEncounterAndParentOnGeneralsNewbornAsIfItWereNotThere() {
        // given
        String patient = hospital(GENERAL, "general").create().resource(Fixtures.newborn(uniqueSystem(), "M1")).execute()
                .getId().toUnqualifiedVersionless().getValue();
        org.hl7.fhir.r4.model.Consent consent = Fixtures.uniqueConsent(org.newbornregistry.conformance.FhirExamples.story());
        consent.getPatient().setReference(patient);
        consent.getIdentifierFirstRep().setSystem(uniqueSystem());
        consent.getPerformer().clear();
        consent.addPerformer().setReference(patient);
        org.hl7.fhir.r4.model.Encounter encounter = new org.hl7.fhir.r4.model.Encounter()
                .setStatus(org.hl7.fhir.r4.model.Encounter.EncounterStatus.FINISHED)
                .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", null));
        encounter.getSubject().setReference(patient);
        org.hl7.fhir.r4.model.RelatedPerson mother = new org.hl7.fhir.r4.model.RelatedPerson();
        mother.getPatient().setReference(patient);
        long reviews = jdbc.queryForObject("select count(*) from index_outbox where patient_id = ?", Long.class,
                patient.split("/")[1]);

        // when / then
        for (Resource planted : java.util.List.of(consent, encounter, mother)) {
            assertThatThrownBy(() -> hospital(SAINT_ANNE, "anne").create().resource(planted).execute())
                    .as(planted.fhirType())
                    .isInstanceOfSatisfying(BaseServerResponseException.class, e -> {
                        assertThat(nbrCode(e)).isEqualTo("NBR-3005");
                        assertThat(e.getStatusCode()).isEqualTo(422);
                    });
        }
        assertThat(jdbc.queryForObject("select count(*) from index_outbox where patient_id = ?", Long.class, patient.split("/")[1]))
                .as("no consent review queued").isEqualTo(reviews);
    }

    @Test
    void shouldAnswerADuplicateIdentifierWithoutNamingTheRecordThatHoldsIt() {
        // given: a record holding an identifier of an authority no organisation is known for
        String system = uniqueSystem();
        client.create().resource(Fixtures.newborn(system, "M1")).execute();

        // when / then
        assertThatThrownBy(() -> hospital(SAINT_ANNE, "anne").create().resource(Fixtures.newborn(system, "M1")).execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> {
                    assertThat(nbrCode(e)).isEqualTo("NBR-3001");
                    assertThat(e.getMessage()).contains("another Patient record").doesNotContain("Patient/");
                });
    }

    @Test
    void shouldRefuseAnyVersionOfAnotherHospitalsRecordAlikeWhetherItExistsOrNot() {
        // given
        String id = hospital(GENERAL, "general").create().resource(Fixtures.newborn(uniqueSystem(), "M1")).execute()
                .getId().getIdPart();

        // when / then
        for (String version : java.util.List.of("1", "99")) {
            assertThatThrownBy(() -> hospital(SAINT_ANNE, "anne").read().resource(Patient.class).withIdAndVersion(id, version).execute())
                    .as("version " + version).isInstanceOf(ForbiddenOperationException.class);
        }
    }

    @Test
    void shouldLeaveOutOfAHospitalsRevIncludeWhatIsNotInItsCustodyInsteadOfRefusingTheSearch() {
        // given: General's newborn and, from before custody of links was checked, an encounter no organisation holds
        String system = uniqueSystem();
        String patient = hospital(GENERAL, "general").create().resource(Fixtures.newborn(system, "M1")).execute()
                .getId().toUnqualifiedVersionless().getValue();
        org.hl7.fhir.r4.model.Encounter own = new org.hl7.fhir.r4.model.Encounter()
                .setStatus(org.hl7.fhir.r4.model.Encounter.EncounterStatus.FINISHED)
                .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", null));
        own.getSubject().setReference(patient);
        String ownId = hospital(GENERAL, "general").create().resource(own).execute().getId().getIdPart();
        client.create().resource(own.copy()).execute();

        // when
        Bundle found = hospital(GENERAL, "general").search()
                .byUrl("Patient?identifier=" + system + "|M1&_revinclude=Encounter:subject").returnBundle(Bundle.class).execute();

        // then
        assertThat(found.getEntry()).extracting(e -> e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart())
                .containsExactlyInAnyOrder(patient, "Encounter/" + ownId);
    }

    @Test
    void shouldGiveANewbornTheLabsResultCreatedFirstToTheHospitalWhoseRecordNumberItCarries() {
        // given: the lab's genotype arrives before the birth
        TwinBirth birth = TwinBirth.unique();
        String result = new String(org.newbornregistry.conformance.Samples.v2("oru-r01-str-genotype.hl7"), StandardCharsets.US_ASCII)
                .replace("GH0001", birth.mrn()).replace("NBR-SAMPLE-STR-0001", "STR-" + birth.controlId())
                .replace("NBS0001", "NBS" + birth.mrn()).replace("STR-24-0001", "STR" + birth.mrn()).replace("DBS24000001", "DBS" + birth.mrn());
        assertThat(inbound.receive(result.getBytes(StandardCharsets.US_ASCII)).ackCode()).isEqualTo(AcknowledgmentCode.AA);

        // when
        InboundMessageService.Receipt receipt = inbound.receive(birth.bytes());

        // then
        assertThat(receipt.ackCode()).as(receipt.ack()).isEqualTo(AcknowledgmentCode.AA);
        Patient newborn = onlyNewborn(birth.mrn());
        assertThat(custodianOf(newborn)).isEqualTo(GENERAL);
        assertThat(newborn.getMeta().getVersionId()).as("the birth updated the record the result created").isEqualTo("2");
    }

    private Patient onlyNewborn(String mrn) {
        Bundle found = client.search().byUrl("Patient?identifier=urn:oid:" + GENERAL + "|" + mrn).returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).hasSize(1);
        return (Patient) found.getEntryFirstRep().getResource();
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
                        select count(*) from audit_event where content like ? and content like ?""", Long.class,
                "%\"display\":\"" + user + "\"%", "%\"outcomeDesc\":\"HTTP 403\"%");
    }
}

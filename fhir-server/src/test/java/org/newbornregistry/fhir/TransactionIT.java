package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TransactionIT extends RegistryIntegrationSupport {

    @Test
    void shouldCreateLinkedBirthRecordsAndRewriteUrnUuidPlaceholders() {
        // given
        String system = uniqueSystem();
        Bundle birth = transaction();
        String babyUrn = urn();
        add(birth, babyUrn, Fixtures.newborn(system, "BABY"), HTTPVerb.POST, "Patient");
        RelatedPerson mother = new RelatedPerson();
        mother.getPatient().setReference(babyUrn);
        mother.addRelationship().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v3-RoleCode").setCode("MTH");
        add(birth, urn(), mother, HTTPVerb.POST, "RelatedPerson");
        Encounter encounter = new Encounter();
        encounter.setStatus(Encounter.EncounterStatus.FINISHED);
        encounter.getClass_().setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode").setCode("IMP");
        encounter.getSubject().setReference(babyUrn);
        add(birth, urn(), encounter, HTTPVerb.POST, "Encounter");

        // when
        Bundle response = client.transaction().withBundle(birth).execute();

        // then
        assertThat(response.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
        assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus()).containsOnly("201 Created");
        String babyId = new IdType(response.getEntry().get(0).getResponse().getLocation()).getIdPart();
        RelatedPerson storedMother = client.read().resource(RelatedPerson.class)
                .withId(new IdType(response.getEntry().get(1).getResponse().getLocation()).getIdPart()).execute();
        assertThat(storedMother.getPatient().getReference()).isEqualTo("Patient/" + babyId);
    }

    @Test
    void shouldMatchIfNoneExistAgainstTheDatabaseAndWithinTheBundle() {
        // given
        String system = uniqueSystem();
        String existing = client.create().resource(Fixtures.newborn(system, "KNOWN")).execute().getId().getIdPart();
        Bundle bundle = transaction();
        add(bundle, urn(), Fixtures.newborn(system, "KNOWN"), HTTPVerb.POST, "Patient")
                .getRequest().setIfNoneExist("identifier=" + system + "|KNOWN");
        add(bundle, urn(), Fixtures.newborn(system, "NEW"), HTTPVerb.POST, "Patient")
                .getRequest().setIfNoneExist("identifier=" + system + "|NEW");
        add(bundle, urn(), Fixtures.newborn(system, "NEW"), HTTPVerb.POST, "Patient")
                .getRequest().setIfNoneExist("identifier=" + system + "|NEW");

        // when
        Bundle response = client.transaction().withBundle(bundle).execute();

        // then
        assertThat(response.getEntry().get(0).getResponse().getStatus()).isEqualTo("200 OK");
        assertThat(new IdType(response.getEntry().get(0).getResponse().getLocation()).getIdPart()).isEqualTo(existing);
        assertThat(response.getEntry().get(1).getResponse().getStatus()).isEqualTo("201 Created");
        assertThat(countByIdentifierSystem(system)).isEqualTo(2);
    }

    @Test
    void shouldResolveConditionalReferencesInEntries() {
        // given
        String system = uniqueSystem();
        String babyId = client.create().resource(Fixtures.newborn(system, "COND")).execute().getId().getIdPart();
        Observation weight = Fixtures.birthWeight("Patient?identifier=" + system + "|COND");
        Bundle bundle = transaction();
        add(bundle, urn(), weight, HTTPVerb.POST, "Observation");

        // when
        Bundle response = client.transaction().withBundle(bundle).execute();

        // then
        Observation stored = client.read().resource(Observation.class)
                .withId(new IdType(response.getEntryFirstRep().getResponse().getLocation()).getIdPart()).execute();
        assertThat(stored.getSubject().getReference()).isEqualTo("Patient/" + babyId);
    }

    @Test
    void shouldResolveConditionalReferenceToAResourceCreatedLaterInTheSameBundle() {
        // given: the result comes first, the newborn it refers to by identifier second
        String system = uniqueSystem();
        Bundle bundle = transaction();
        add(bundle, urn(), Fixtures.birthWeight("Patient?identifier=" + system + "|LATER"), HTTPVerb.POST, "Observation");
        add(bundle, urn(), Fixtures.newborn(system, "LATER"), HTTPVerb.POST, "Patient")
                .getRequest().setIfNoneExist("identifier=" + system + "|LATER");

        // when
        Bundle response = client.transaction().withBundle(bundle).execute();

        // then
        String babyId = new IdType(response.getEntry().get(1).getResponse().getLocation()).getIdPart();
        Observation stored = client.read().resource(Observation.class)
                .withId(new IdType(response.getEntry().get(0).getResponse().getLocation()).getIdPart()).execute();
        assertThat(stored.getSubject().getReference()).isEqualTo("Patient/" + babyId);
    }

    @Test
    void shouldKeyARelatedPersonByItsNewbornsPlaceholderSoThatResendingChangesNothing() {
        // given: the shape the HL7 mapping produces, sent twice
        String system = uniqueSystem();
        java.util.function.Supplier<Bundle> birth = () -> {
            Bundle bundle = transaction();
            String babyUrn = urn();
            add(bundle, babyUrn, Fixtures.newborn(system, "KEYED"), HTTPVerb.PUT, "Patient?identifier=" + system + "|KEYED");
            RelatedPerson mother = new RelatedPerson();
            mother.getPatient().setReference(babyUrn);
            mother.addRelationship().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v3-RoleCode").setCode("MTH");
            add(bundle, urn(), mother, HTTPVerb.PUT, "RelatedPerson?patient=" + babyUrn
                    + "&relationship=http://terminology.hl7.org/CodeSystem/v3-RoleCode|MTH");
            return bundle;
        };

        // when
        Bundle first = client.transaction().withBundle(birth.get()).execute();
        Bundle second = client.transaction().withBundle(birth.get()).execute();

        // then
        assertThat(first.getEntry()).extracting(e -> e.getResponse().getStatus()).containsExactly("201 Created", "201 Created");
        assertThat(second.getEntry()).extracting(e -> e.getResponse().getLocation())
                .containsExactlyElementsOf(first.getEntry().stream().map(e -> e.getResponse().getLocation()).toList());
        String babyId = new IdType(first.getEntry().get(0).getResponse().getLocation()).getIdPart();
        assertThat(client.search().byUrl("RelatedPerson?patient=" + babyId).returnBundle(Bundle.class).execute().getEntry())
                .hasSize(1);
    }

    @Test
    void shouldMoveAnIdentifierBetweenResourcesInOneTransactionInAnyEntryOrder() {
        // given: the old record keeps the identifier as use=old, a new record takes it over
        String system = uniqueSystem();
        Patient old = Fixtures.newborn(system, "MOVED");
        String oldId = client.create().resource(old).execute().getId().getIdPart();
        old.setId(oldId);
        old.getIdentifierFirstRep().setUse(org.hl7.fhir.r4.model.Identifier.IdentifierUse.OLD);
        Bundle bundle = transaction();
        add(bundle, urn(), Fixtures.newborn(system, "MOVED"), HTTPVerb.POST, "Patient");
        add(bundle, null, old, HTTPVerb.PUT, "Patient/" + oldId);

        // when
        Bundle response = client.transaction().withBundle(bundle).execute();

        // then
        assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus()).containsExactly("201 Created", "200 OK");
        assertThat(countByIdentifierSystem(system)).isEqualTo(1);
    }

    @Test
    void shouldRefuseBundlePutWhoseResourceIdDiffersFromItsUrl() {
        // given
        Patient newborn = Fixtures.newborn(uniqueSystem(), "IDS");
        newborn.setId("one");
        Bundle bundle = transaction();
        add(bundle, null, newborn, HTTPVerb.PUT, "Patient/other");

        // when
        BaseServerResponseException error = assertThrows(BaseServerResponseException.class,
                () -> client.transaction().withBundle(bundle).execute());

        // then
        assertThat(error.getStatusCode()).isEqualTo(400);
    }

    @Test
    void shouldDeleteBeforeCreatingWhateverTheEntryOrder() {
        // given
        String system = uniqueSystem();
        String oldId = client.create().resource(Fixtures.newborn(system, "REUSED")).execute().getId().getIdPart();
        Bundle bundle = transaction();
        add(bundle, urn(), Fixtures.newborn(system, "REUSED"), HTTPVerb.POST, "Patient");
        bundle.addEntry().getRequest().setMethod(HTTPVerb.DELETE).setUrl("Patient/" + oldId);

        // when
        Bundle response = client.transaction().withBundle(bundle).execute();

        // then
        assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus())
                .containsExactly("201 Created", "204 No Content");
        assertThat(countByIdentifierSystem(system)).isEqualTo(1);
    }

    @Test
    void shouldRollBackEverythingAndNameTheEntryWhenOneEntryFails() {
        // given
        String system = uniqueSystem();
        Bundle bundle = transaction();
        add(bundle, urn(), Fixtures.newborn(system, "ROLLBACK"), HTTPVerb.POST, "Patient");
        add(bundle, urn(), Fixtures.birthWeight("Patient/" + UUID.randomUUID()), HTTPVerb.POST, "Observation");

        // when
        UnprocessableEntityException error = assertThrows(UnprocessableEntityException.class,
                () -> client.transaction().withBundle(bundle).execute());

        // then
        OperationOutcome outcome = (OperationOutcome) error.getOperationOutcome();
        assertThat(nbrCode(error)).isEqualTo("NBR-3005");
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).startsWith("Bundle.entry[1]");
        assertThat(countByIdentifierSystem(system)).isZero();
    }

    @Test
    void shouldRollBackWhenTwoEntriesClaimTheSameIdentifier() {
        // given
        String system = uniqueSystem();
        Bundle bundle = transaction();
        add(bundle, urn(), Fixtures.newborn(system, "TWICE"), HTTPVerb.POST, "Patient");
        add(bundle, urn(), Fixtures.newborn(system, "TWICE"), HTTPVerb.POST, "Patient");

        // when
        BaseServerResponseException error = assertThrows(BaseServerResponseException.class,
                () -> client.transaction().withBundle(bundle).execute());

        // then
        assertThat(error.getStatusCode()).isEqualTo(409);
        assertThat(countByIdentifierSystem(system)).isZero();
    }

    @Test
    void shouldRefuseTypesTheRegistryDoesNotHoldAndNameTheEntry() {
        // given
        Bundle bundle = transaction();
        add(bundle, urn(), Fixtures.newborn(uniqueSystem(), "X"), HTTPVerb.POST, "Patient");
        MessageHeader header = new MessageHeader();
        header.getEventCoding().setSystem("http://terminology.hl7.org/CodeSystem/v2-0003").setCode("A01");
        header.getSource().setEndpoint("urn:test");
        add(bundle, urn(), header, HTTPVerb.POST, "MessageHeader");

        // when
        ResourceNotFoundException error = assertThrows(ResourceNotFoundException.class,
                () -> client.transaction().withBundle(bundle).execute());

        // then
        assertThat(((OperationOutcome) error.getOperationOutcome()).getIssueFirstRep().getDiagnostics())
                .startsWith("Bundle.entry[1]");
    }

    @Test
    void shouldAnswerReadsAndSearchesInTransactionAfterItsWrites() {
        // given
        String system = uniqueSystem();
        Bundle bundle = transaction();
        bundle.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient?identifier=" + system + "|READ");
        add(bundle, urn(), Fixtures.newborn(system, "READ"), HTTPVerb.POST, "Patient");

        // when
        Bundle response = client.transaction().withBundle(bundle).execute();

        // then
        Bundle searchset = (Bundle) response.getEntry().get(0).getResource();
        assertThat(searchset.getEntry()).hasSize(1);
        assertThat(searchset.getEntryFirstRep().getFullUrl())
                .isEqualTo(baseUrl() + "/Patient/" + searchset.getEntryFirstRep().getResource().getIdElement().getIdPart());
    }

    @Test
    void shouldProcessBatchEntriesIndependently() {
        // given
        String system = uniqueSystem();
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        add(batch, null, Fixtures.newborn(system, "OK"), HTTPVerb.POST, "Patient");
        add(batch, null, Fixtures.birthWeight("Patient/" + UUID.randomUUID()), HTTPVerb.POST, "Observation");
        Patient badId = Fixtures.newborn(system, "BADID");
        badId.setId("y".repeat(70));
        add(batch, null, badId, HTTPVerb.PUT, "Patient/" + "y".repeat(70));
        add(batch, null, Fixtures.newborn(system, "OK2"), HTTPVerb.POST, "Patient");

        // when
        Bundle response = client.transaction().withBundle(batch).execute();

        // then
        assertThat(response.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
        assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus().substring(0, 3))
                .containsExactly("201", "422", "400", "201");
        assertThat(response.getEntry().get(1).getResponse().getOutcome()).isNotNull();
        assertThat(countByIdentifierSystem(system)).isEqualTo(2);
    }

    @Test
    void shouldRefuseBundleThatIsNeitherTransactionNorBatchWith400() {
        // given
        Bundle collection = new Bundle().setType(Bundle.BundleType.COLLECTION);
        collection.addEntry().setResource(Fixtures.newborn(uniqueSystem(), "COLL"));

        // when
        BaseServerResponseException error = assertThrows(BaseServerResponseException.class,
                () -> client.transaction().withBundle(collection).execute());

        // then
        assertThat(error.getStatusCode()).isEqualTo(400);
    }

    private int countByIdentifierSystem(String system) {
        Integer count = jdbc.queryForObject(
                "select count(*) from business_identifier where res_type = 'Patient' and system = ?", Integer.class, system);
        return count == null ? 0 : count;
    }

    private static Bundle transaction() {
        return new Bundle().setType(Bundle.BundleType.TRANSACTION);
    }

    private static BundleEntryComponent add(Bundle bundle, String fullUrl, Resource resource, HTTPVerb method, String url) {
        BundleEntryComponent entry = bundle.addEntry().setResource(resource);
        if (fullUrl != null) {
            entry.setFullUrl(fullUrl);
        }
        entry.getRequest().setMethod(method).setUrl(url);
        return entry;
    }

    private static String urn() {
        return "urn:uuid:" + UUID.randomUUID();
    }
}

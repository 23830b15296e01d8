package org.newbornregistry.routes.conformance;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The system interactions {@code transaction} and {@code batch}: a transaction stores all of its
 * entries or none (creates, updates and deletes alike) and links its {@code urn:uuid:} references;
 * a batch processes each entry on its own and says per entry what became of it.
 */
class BundleConformanceIT extends ConformanceTestSupport {

    private String system;

    @BeforeEach
    void uniqueIdentifiers() {
        system = uniqueSystem();
    }

    @Test
    void shouldStoreEveryEntryAndLinkPlaceholdersWhenATransactionSucceeds() {
        // given
        assumeDeclared(SystemRestfulInteraction.TRANSACTION);
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String newborn = post(transaction, newborn("T1"));
        post(transaction, birthWeight(newborn));

        // when
        Bundle response = client.transaction().withBundle(transaction).execute();

        // then
        assertThat(response.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
        assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus()).allMatch(s -> s.startsWith("201"));
        IdType patient = new IdType(response.getEntry().get(0).getResponse().getLocation());
        IdType observation = new IdType(response.getEntry().get(1).getResponse().getLocation());
        Observation stored = client.read().resource(Observation.class).withId(observation.getIdPart()).execute();
        assertThat(stored.getSubject().getReference()).isEqualTo("Patient/" + patient.getIdPart());
    }

    @Test
    void shouldStoreNothingWhenTheLastEntryOfATransactionFails() {
        // given
        assumeDeclared(SystemRestfulInteraction.TRANSACTION);
        IdType toUpdate = create(newborn("T-UPDATE"));
        IdType toDelete = create(newborn("T-DELETE"));
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        post(transaction, newborn("T-NEW"));
        Patient updated = client.read().resource(Patient.class).withId(toUpdate.getIdPart()).execute();
        updated.setLanguage("en-US");
        transaction.addEntry().setFullUrl(updated.getIdElement().toVersionless().getValue()).setResource(updated)
                .getRequest().setMethod(HTTPVerb.PUT).setUrl("Patient/" + toUpdate.getIdPart());
        transaction.addEntry().getRequest().setMethod(HTTPVerb.DELETE).setUrl("Patient/" + toDelete.getIdPart());
        post(transaction, birthWeight("Patient/nbr-absent-" + UUID.randomUUID()));

        // when
        BaseServerResponseException refused = assertThrows(BaseServerResponseException.class,
                () -> client.transaction().withBundle(transaction).execute());

        // then
        assertThat(refused.getStatusCode()).isBetween(400, 499);
        assertThat(refused.getOperationOutcome()).isInstanceOf(OperationOutcome.class);
        assertThat(matches(search("Patient?identifier=" + system + "|T-NEW"))).as("the created newborn").isEmpty();
        Patient afterUpdate = client.read().resource(Patient.class).withId(toUpdate.getIdPart()).execute();
        assertThat(afterUpdate.getMeta().getVersionId()).as("the updated newborn's version").isEqualTo("1");
        assertThat(afterUpdate.hasLanguage()).isFalse();
        assertThat(matches(search("Patient?identifier=" + system + "|T-DELETE"))).as("the deleted newborn")
                .containsExactly("Patient/" + toDelete.getIdPart());
    }

    @Test
    void shouldStoreNothingWhenTheFirstEntryOfATransactionFails() {
        // given
        assumeDeclared(SystemRestfulInteraction.TRANSACTION);
        create(newborn("T-TAKEN"));
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        post(transaction, newborn("T-TAKEN"));
        String second = post(transaction, newborn("T-SECOND"));
        post(transaction, birthWeight(second));

        // when
        BaseServerResponseException refused = assertThrows(BaseServerResponseException.class,
                () -> client.transaction().withBundle(transaction).execute());

        // then
        assertThat(refused.getStatusCode()).as("a business identifier already taken").isEqualTo(409);
        assertThat(matches(search("Patient?identifier=" + system + "|T-TAKEN"))).hasSize(1);
        assertThat(matches(search("Patient?identifier=" + system + "|T-SECOND"))).isEmpty();
    }

    @Test
    void shouldStoreTheGoodEntriesWhenOneEntryOfABatchFails() {
        // given
        assumeDeclared(SystemRestfulInteraction.BATCH);
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        post(batch, newborn("B1"));
        post(batch, birthWeight("Patient/nbr-absent-" + UUID.randomUUID()));
        post(batch, newborn("B2"));

        // when
        Bundle response = client.transaction().withBundle(batch).execute();

        // then
        assertThat(response.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
        assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus().substring(0, 1))
                .containsExactly("2", "4", "2");
        BundleEntryComponent failed = response.getEntry().get(1);
        assertThat(failed.getResponse().getOutcome()).isInstanceOf(OperationOutcome.class);
        assertThat(matches(search("Patient?identifier=" + system + "|B1"))).hasSize(1);
        assertThat(matches(search("Patient?identifier=" + system + "|B2"))).hasSize(1);
    }

    @Test
    void shouldAnswerEachReadAndSearchWhenABatchHasGetEntries() {
        // given
        assumeDeclared(SystemRestfulInteraction.BATCH);
        IdType newborn = create(newborn("B-GET"));
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient/" + newborn.getIdPart());
        batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient?identifier=" + system + "|B-GET");

        // when
        Bundle response = client.transaction().withBundle(batch).execute();

        // then
        assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus()).allMatch(s -> s.startsWith("200"));
        assertThat(response.getEntry().get(0).getResource().getIdElement().getIdPart()).isEqualTo(newborn.getIdPart());
        Bundle searchset = (Bundle) response.getEntry().get(1).getResource();
        assertThat(searchset.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        assertThat(matches(searchset)).containsExactly("Patient/" + newborn.getIdPart());
    }

    private static void assumeDeclared(SystemRestfulInteraction interaction) {
        assumeThat(rest().getInteraction()).as("system interactions declared")
                .anyMatch(i -> i.getCode() == interaction);
    }

    private Patient newborn(String value) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(system).setValue(value);
        patient.getBirthDateElement().setValueAsString("2024-05-01");
        return patient;
    }

    private static Observation birthWeight(String subject) {
        Observation weight = new Observation();
        weight.setStatus(Observation.ObservationStatus.FINAL);
        weight.setCode(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding("http://loinc.org", "8339-4", "Birth weight")));
        weight.getSubject().setReference(subject);
        return weight;
    }

    /** Adds a create to the bundle under a new placeholder, which it returns. */
    private static String post(Bundle bundle, Resource resource) {
        String placeholder = "urn:uuid:" + UUID.randomUUID();
        bundle.addEntry().setFullUrl(placeholder).setResource(resource)
                .getRequest().setMethod(HTTPVerb.POST).setUrl(resource.fhirType());
        return placeholder;
    }

    private static IdType create(Resource resource) {
        return (IdType) client.create().resource(resource).execute().getId();
    }
}

package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConditionalIT extends RegistryIntegrationSupport {

    @org.springframework.beans.factory.annotation.Autowired
    javax.sql.DataSource dataSource;

    @Test
    void shouldReturnExistingResourceWhenIfNoneExistMatches() {
        // given
        String system = uniqueSystem();
        MethodOutcome first = client.create().resource(Fixtures.newborn(system, "A1"))
                .conditionalByUrl("Patient?identifier=" + system + "|A1").execute();

        // when
        MethodOutcome second = client.create().resource(Fixtures.newborn(system, "A1"))
                .conditionalByUrl("Patient?identifier=" + system + "|A1").execute();

        // then
        assertThat(first.getCreated()).isTrue();
        assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
    }

    @Test
    void shouldCreateExactlyOneResourceWhenEightThreadsConditionallyCreateTheSameIdentifier() throws Exception {
        // given
        String system = uniqueSystem();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Callable<MethodOutcome>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            tasks.add(() -> {
                start.await();
                return TestTokens.authorised(FHIR.newRestfulGenericClient(baseUrl())).create().resource(Fixtures.newborn(system, "RACE"))
                        .conditionalByUrl("Patient?identifier=" + system + "|RACE").execute();
            });
        }

        // when
        List<Future<MethodOutcome>> futures = new ArrayList<>();
        tasks.forEach(task -> futures.add(pool.submit(task)));
        start.countDown();
        List<MethodOutcome> outcomes = new ArrayList<>();
        for (Future<MethodOutcome> future : futures) {
            outcomes.add(future.get());
        }
        pool.shutdown();

        // then
        assertThat(outcomes).filteredOn(o -> Boolean.TRUE.equals(o.getCreated())).hasSize(1);
        assertThat(outcomes).extracting(o -> o.getId().getIdPart()).containsOnly(outcomes.get(0).getId().getIdPart());
        Integer rows = jdbc.queryForObject(
                "select count(*) from business_identifier where res_type = 'Patient' and system = ?", Integer.class, system);
        assertThat(rows).isEqualTo(1);
        Bundle found = client.search().byUrl("Patient?identifier=" + system + "|RACE").returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).hasSize(1);
    }

    @Test
    void shouldAnswerAConditionalCreateOfAnExistingRecordWhileAnotherTransactionHoldsItsCondition() throws Exception {
        // given: the record exists, and another writer of the same condition holds its lock (as every message of one
        // sender did for its shared ordering provider until it committed)
        String system = uniqueSystem();
        MethodOutcome first = client.create().resource(Fixtures.newborn(system, "SHARED"))
                .conditionalByUrl("Patient?identifier=" + system + "|SHARED").execute();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (java.sql.Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (java.sql.PreparedStatement lock = holder.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, "Patient?identifier=" + system + "|SHARED&");
                lock.execute();
            }

            // when
            Future<MethodOutcome> second = pool.submit(() -> client.create().resource(Fixtures.newborn(system, "SHARED"))
                    .conditionalByUrl("Patient?identifier=" + system + "|SHARED").execute());

            // then: answered while the lock is still held
            MethodOutcome outcome = second.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(outcome.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
            assertThat(outcome.getCreated()).isNotEqualTo(Boolean.TRUE);
            holder.rollback();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldRefuseSecondResourceWithSameBusinessIdentifierWith409() {
        // given
        String system = uniqueSystem();
        client.create().resource(Fixtures.newborn(system, "DUP")).execute();

        // when
        ResourceVersionConflictException conflict = assertThrows(ResourceVersionConflictException.class,
                () -> client.create().resource(Fixtures.newborn(system, "DUP")).execute());

        // then
        assertThat(nbrCode(conflict)).isEqualTo("NBR-3001");
        assertThat(conflict.getMessage()).doesNotContain("DUP");
    }

    @Test
    void shouldTreatSpecimenAccessionAsBusinessIdentifier() {
        // given
        String system = uniqueSystem();
        Specimen card = new Specimen();
        card.getAccessionIdentifier().setSystem(system).setValue("CARD-1");
        client.create().resource(card).execute();

        // when
        ResourceVersionConflictException conflict = assertThrows(ResourceVersionConflictException.class,
                () -> client.create().resource(card.copy()).execute());

        // then
        assertThat(nbrCode(conflict)).isEqualTo("NBR-3001");
    }

    @Test
    void shouldCreateThenUpdateThroughConditionalUpdate() {
        // given
        String system = uniqueSystem();
        String url = "Patient?identifier=" + system + "|CU1";

        // when
        MethodOutcome created = client.update().resource(Fixtures.newborn(system, "CU1")).conditionalByUrl(url).execute();
        Patient changed = Fixtures.newborn(system, "CU1");
        changed.setGender(AdministrativeGender.MALE);
        MethodOutcome updated = client.update().resource(changed).conditionalByUrl(url).execute();

        // then
        assertThat(created.getCreated()).isTrue();
        assertThat(updated.getId().getIdPart()).isEqualTo(created.getId().getIdPart());
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
    }

    @Test
    void shouldRefuseConditionalUpdateMatchingSeveralResourcesWith412() {
        // given
        String system = uniqueSystem();
        client.create().resource(Fixtures.newborn(system, "M1")).execute();
        client.create().resource(Fixtures.newborn(system, "M2")).execute();

        // when
        PreconditionFailedException error = assertThrows(PreconditionFailedException.class, () ->
                client.update().resource(Fixtures.newborn(system, "M3")).conditionalByUrl("Patient?identifier=" + system + "|").execute());

        // then
        assertThat(nbrCode(error)).isEqualTo("NBR-3003");
    }

    @Test
    void shouldDeleteTheOneResourceAConditionalDeleteMatches() {
        // given
        String system = uniqueSystem();
        client.create().resource(Fixtures.newborn(system, "D1")).execute();

        // when
        client.delete().resourceConditionalByUrl("Patient?identifier=" + system + "|D1").execute();

        // then
        Bundle found = client.search().byUrl("Patient?identifier=" + system + "|D1").returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).isEmpty();
    }

    @Test
    void shouldResolveConditionalReferenceInPlainCreate() {
        // given
        String system = uniqueSystem();
        MethodOutcome newborn = client.create().resource(Fixtures.newborn(system, "REF1")).execute();
        Observation weight = Fixtures.birthWeight("Patient?identifier=" + system + "|REF1");

        // when
        MethodOutcome created = client.create().resource(weight).execute();
        Observation stored = client.read().resource(Observation.class).withId(created.getId().getIdPart()).execute();

        // then
        assertThat(stored.getSubject().getReference()).isEqualTo("Patient/" + newborn.getId().getIdPart());
    }

    @Test
    void shouldRefuseConditionalReferenceThatMatchesNothingWith412() {
        // given
        Observation weight = Fixtures.birthWeight("Patient?identifier=" + uniqueSystem() + "|NOBODY");

        // when
        PreconditionFailedException error = assertThrows(PreconditionFailedException.class,
                () -> client.create().resource(weight).execute());

        // then
        assertThat(nbrCode(error)).isEqualTo("NBR-3004");
    }
}

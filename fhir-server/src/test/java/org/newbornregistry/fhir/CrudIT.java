package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CrudIT extends RegistryIntegrationSupport {

    @Test
    void shouldCreateAndReadNewbornWithServerAssignedIdAndVersionOne() {
        // given
        Patient newborn = Fixtures.newborn(uniqueSystem(), "MRN-1");

        // when
        MethodOutcome outcome = client.create().resource(newborn).execute();
        Patient read = client.read().resource(Patient.class).withId(outcome.getId().getIdPart()).execute();

        // then
        assertThat(outcome.getCreated()).isTrue();
        assertThat(outcome.getId().getVersionIdPart()).isEqualTo("1");
        assertThat(read.getMeta().getVersionId()).isEqualTo("1");
        assertThat(read.getMeta().getLastUpdated()).isNotNull();
        assertThat(read.getBirthDateElement().getValueAsString()).isEqualTo("2024-05-01");
        assertThat(read.getIdentifierFirstRep().getValue()).isEqualTo("MRN-1");
    }

    @Test
    void shouldKeepEveryVersionWhenUpdatedAndServeThemByVreadAndHistory() {
        // given
        IdType id = create(Fixtures.newborn(uniqueSystem(), "MRN-2"));
        Patient renamed = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        renamed.getNameFirstRep().setFamily("Renamed");

        // when
        MethodOutcome updated = client.update().resource(renamed).execute();
        Patient version1 = client.read().resource(Patient.class).withIdAndVersion(id.getIdPart(), "1").execute();
        Bundle history = client.history().onInstance(new IdType("Patient", id.getIdPart())).returnBundle(Bundle.class).execute();

        // then
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
        assertThat(version1.getNameFirstRep().getFamily()).isEqualTo("Doe");
        assertThat(history.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        assertThat(history.getEntry()).extracting(e -> e.getResource().getMeta().getVersionId()).containsExactly("2", "1");
        assertThat(history.getEntry()).extracting(e -> e.getResponse().getStatus()).containsExactly("200 OK", "201 Created");
    }

    @Test
    void shouldNotStoreNewVersionWhenUpdateChangesNothing() {
        // given
        IdType id = create(Fixtures.newborn(uniqueSystem(), "MRN-3"));
        Patient same = client.read().resource(Patient.class).withId(id.getIdPart()).execute();

        // when
        MethodOutcome outcome = client.update().resource(same).execute();

        // then
        assertThat(outcome.getId().getVersionIdPart()).isEqualTo("1");
    }

    @Test
    void shouldRefuseUpdateWithStaleIfMatchWith412AndKeepCurrentVersion() {
        // given
        IdType id = create(Fixtures.newborn(uniqueSystem(), "MRN-4"));
        Patient first = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        first.setGender(AdministrativeGender.MALE);
        client.update().resource(first).withId(id.toVersionless()).execute();
        Patient stale = first.copy();
        stale.setGender(AdministrativeGender.OTHER);
        stale.setId(new IdType("Patient", id.getIdPart(), "1"));

        // when
        PreconditionFailedException conflict = assertThrows(PreconditionFailedException.class,
                () -> client.update().resource(stale).withId(stale.getIdElement()).execute());
        Patient current = client.read().resource(Patient.class).withId(id.getIdPart()).execute();

        // then
        assertThat(nbrCode(conflict)).isEqualTo("NBR-3002");
        assertThat(current.getMeta().getVersionId()).isEqualTo("2");
        assertThat(current.getGender()).isEqualTo(AdministrativeGender.MALE);
    }

    @Test
    void shouldUpdateWhenIfMatchNamesCurrentVersion() {
        // given
        IdType id = create(Fixtures.newborn(uniqueSystem(), "MRN-5"));
        Patient current = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        current.setGender(AdministrativeGender.MALE);

        // when
        MethodOutcome outcome = client.update().resource(current).withId(new IdType("Patient", id.getIdPart(), "1")).execute();

        // then
        assertThat(outcome.getId().getVersionIdPart()).isEqualTo("2");
    }

    @Test
    void shouldCreateWithClientIdWhenUpdatingUnknownId() {
        // given
        Patient newborn = Fixtures.newborn(uniqueSystem(), "MRN-6");
        newborn.setId("client-chosen-" + System.nanoTime());

        // when
        MethodOutcome outcome = client.update().resource(newborn).execute();

        // then
        assertThat(outcome.getCreated()).isTrue();
        assertThat(outcome.getId().getIdPart()).isEqualTo(newborn.getIdElement().getIdPart());
        assertThat(outcome.getId().getVersionIdPart()).isEqualTo("1");
    }

    @Test
    void shouldAnswer410ForDeletedResourceAnd404ForUnknownOne() {
        // given
        IdType id = create(Fixtures.newborn(uniqueSystem(), "MRN-7"));

        // when
        client.delete().resourceById("Patient", id.getIdPart()).execute();

        // then
        assertThrows(ResourceGoneException.class,
                () -> client.read().resource(Patient.class).withId(id.getIdPart()).execute());
        assertThrows(ResourceNotFoundException.class,
                () -> client.read().resource(Patient.class).withId("never-existed").execute());
        Bundle history = client.history().onInstance(new IdType("Patient", id.getIdPart())).returnBundle(Bundle.class).execute();
        assertThat(history.getEntryFirstRep().getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.DELETE);
        assertThat(history.getEntry()).hasSize(2);
    }

    @Test
    void shouldReleaseIdentifierOnDeleteSoThatItCanBeUsedAgain() {
        // given
        String system = uniqueSystem();
        IdType first = create(Fixtures.newborn(system, "MRN-8"));
        client.delete().resourceById("Patient", first.getIdPart()).execute();

        // when
        IdType second = create(Fixtures.newborn(system, "MRN-8"));

        // then
        assertThat(second.getIdPart()).isNotEqualTo(first.getIdPart());
    }

    @Test
    void shouldAnswer304WhenIfNoneMatchNamesCurrentVersion() throws Exception {
        // given
        IdType id = create(Fixtures.newborn(uniqueSystem(), "MRN-9"));
        HttpClient http = TestTokens.http();

        // when
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/Patient/" + id.getIdPart()))
                .header("If-None-Match", "W/\"1\"").GET().build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(304);
    }

    @Test
    void shouldAnswer304WhenIfModifiedSinceIsTheLastModifiedOfTheRead() throws Exception {
        // given
        IdType id = create(Fixtures.newborn(uniqueSystem(), "MRN-14"));
        HttpClient http = TestTokens.http();
        URI uri = URI.create(baseUrl() + "/Patient/" + id.getIdPart());
        String lastModified = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString())
                .headers().firstValue("Last-Modified").orElseThrow();

        // when
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("If-Modified-Since", lastModified)
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(304);
    }

    @Test
    void shouldListTypeHistoryNewestFirst() {
        // given
        IdType a = create(Fixtures.newborn(uniqueSystem(), "MRN-10"));
        IdType b = create(Fixtures.newborn(uniqueSystem(), "MRN-11"));

        // when
        Bundle history = client.history().onType(Patient.class).returnBundle(Bundle.class).count(500).execute();

        // then
        assertThat(history.getEntry()).extracting(e -> new IdType(e.getFullUrl()).getIdPart())
                .containsSubsequence(b.getIdPart(), a.getIdPart());
    }

    @Test
    void shouldPageThroughInstanceHistoryWithoutSearchModes() {
        // given
        IdType id = create(Fixtures.newborn(uniqueSystem(), "MRN-12"));
        for (AdministrativeGender gender : new AdministrativeGender[] {AdministrativeGender.MALE, AdministrativeGender.OTHER}) {
            Patient next = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
            next.setGender(gender);
            client.update().resource(next).execute();
        }

        // when
        List<String> versions = new ArrayList<>();
        Bundle page = client.history().onInstance(new IdType("Patient", id.getIdPart())).returnBundle(Bundle.class)
                .count(1).execute();
        while (true) {
            page.getEntry().forEach(e -> {
                assertThat(e.hasSearch()).isFalse();
                versions.add(e.getResource().getMeta().getVersionId());
            });
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            page = client.loadPage().next(page).execute();
            assertThat(page.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        }

        // then
        assertThat(versions).containsExactly("3", "2", "1");
    }

    @Test
    void shouldRefuseHistoryPageLargerThanTheMaximumRatherThanSkipVersions() {
        // given
        IdType id = create(Fixtures.newborn(uniqueSystem(), "MRN-13"));

        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> client.history()
                .onInstance(new IdType("Patient", id.getIdPart())).returnBundle(Bundle.class).count(501).execute());

        // then
        assertThat(nbrCode(error)).isEqualTo("NBR-2002");
    }

    private IdType create(Patient patient) {
        return (IdType) client.create().resource(patient).execute().getId();
    }
}

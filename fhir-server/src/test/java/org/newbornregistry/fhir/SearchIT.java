package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.newbornregistry.fhir.search.SearchCursorStore;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SearchIT extends RegistryIntegrationSupport {

    @Autowired
    private SearchCursorStore cursors;

    private String system;
    private String girl;
    private String boy;
    private String twin;

    @BeforeEach
    void createNewborns() {
        system = uniqueSystem();
        girl = create(newborn("G1", "Müller", "Anna", AdministrativeGender.FEMALE, "2024-05-01"));
        boy = create(newborn("B1", "Smith", "Baby Boy", AdministrativeGender.MALE, "2024-05-03T08:30:00+02:00"));
        twin = create(newborn("T1", "Smithson", "Twin A", AdministrativeGender.FEMALE, "2023-12-31"));
    }

    @Test
    void shouldFindByIdentifierWithAndWithoutSystem() {
        assertThat(ids("Patient?identifier=" + system + "|G1")).containsExactly(girl);
        assertThat(ids("Patient?identifier=" + system + "|")).containsExactlyInAnyOrder(girl, boy, twin);
        assertThat(ids("Patient?identifier=" + system + "|G1,"+ system + "|B1")).containsExactlyInAnyOrder(girl, boy);
        assertThat(ids("Patient?identifier=urn:other|G1")).isEmpty();
    }

    @Test
    void shouldFindByTokenWithSystemFromTheEnumerationAndByNot() {
        assertThat(ids(scoped("gender=female"))).containsExactlyInAnyOrder(girl, twin);
        assertThat(ids(scoped("gender=http://hl7.org/fhir/administrative-gender|male"))).containsExactly(boy);
        assertThat(ids(scoped("gender:not=female"))).containsExactly(boy);
    }

    @Test
    void shouldFindByStringPrefixIgnoringCaseAndAccentsAndByExactAndContains() {
        assertThat(ids(scoped("family=smith"))).containsExactlyInAnyOrder(boy, twin);
        assertThat(ids(scoped("family:exact=Smith"))).containsExactly(boy);
        assertThat(ids(scoped("family=muller"))).containsExactly(girl);
        assertThat(ids(scoped("name:contains=thso"))).containsExactly(twin);
        assertThat(ids(scoped("given=baby%20boy"))).containsExactly(boy);
    }

    @Test
    void shouldFindByBirthdateWithPrefixesAndPrecisions() {
        assertThat(ids(scoped("birthdate=2024-05-01"))).containsExactly(girl);
        assertThat(ids(scoped("birthdate=2024-05"))).containsExactlyInAnyOrder(girl, boy);
        assertThat(ids(scoped("birthdate=2024"))).containsExactlyInAnyOrder(girl, boy);
        assertThat(ids(scoped("birthdate=lt2024-01-01"))).containsExactly(twin);
        assertThat(ids(scoped("birthdate=ge2024-05-02"))).containsExactly(boy);
        assertThat(ids(scoped("birthdate=ge2024-01-01&birthdate=le2024-05-01"))).containsExactly(girl);
        assertThat(ids(scoped("birthdate=ne2024-05-01"))).containsExactlyInAnyOrder(boy, twin);
    }

    @Test
    void shouldCompareDateRangesAsR4DefinesGeAndLe() throws Exception {
        // given: a period from 2024-04-28 to 2024-05-01T06:00Z
        Observation stay = observation("57714-8", girl, "2024-04-28T00:00:00Z");
        stay.setEffective(new org.hl7.fhir.r4.model.Period()
                .setStartElement(new org.hl7.fhir.r4.model.DateTimeType("2024-04-28T00:00:00Z"))
                .setEndElement(new org.hl7.fhir.r4.model.DateTimeType("2024-05-01T06:00:00Z")));
        String stayId = create(stay);
        String query = "Observation?_id=" + stayId + "&date=";

        // then
        assertThat(ids(query + "ge2024-05-01")).as("ends inside the day, so not above it").isEmpty();
        assertThat(ids(query + "ge2024-04-30")).containsExactly(stayId);
        assertThat(ids(query + "le2024-04-28")).as("starts inside the day, so not below it").isEmpty();
        assertThat(ids(query + "le2024-04-29")).containsExactly(stayId);
        HttpResponse<String> unencodedPlus = TestTokens.http().send(HttpRequest.newBuilder(
                URI.create(baseUrl() + "/" + query + "gt2024-04-30T10:00:00+02:00")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unencodedPlus.statusCode()).isEqualTo(200);
        assertThat(unencodedPlus.body()).contains(stayId);
    }

    @Test
    void shouldFindByIdAndLastUpdated() {
        assertThat(ids("Patient?_id=" + girl + "," + twin)).containsExactlyInAnyOrder(girl, twin);
        assertThat(ids(scoped("_lastUpdated=gt2000-01-01"))).hasSize(3);
        assertThat(ids(scoped("_lastUpdated=lt2000-01-01"))).isEmpty();
    }

    @Test
    void shouldFindByMissing() {
        Patient noGender = newborn("N1", "Nobody", "X", null, "2024-01-01");
        String unknown = create(noGender);
        assertThat(ids(scoped("gender:missing=true"))).containsExactly(unknown);
        assertThat(ids(scoped("gender:missing=false"))).containsExactlyInAnyOrder(girl, boy, twin);
    }

    @Test
    void shouldFindObservationsByCodeDateStatusSubjectSpecimenAndBasedOn() {
        // given
        Specimen card = new Specimen();
        card.getAccessionIdentifier().setSystem(system).setValue("CARD-9");
        card.getSubject().setReference("Patient/" + girl);
        String cardId = create(card);
        ServiceRequest order = new ServiceRequest();
        order.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE).setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        order.getCode().addCoding().setSystem("http://loinc.org").setCode("54089-8");
        order.getSubject().setReference("Patient/" + girl);
        String orderId = create(order);
        Observation weight = observation("8339-4", girl, "2024-05-01T10:00:00Z");
        weight.getSpecimen().setReference("Specimen/" + cardId);
        weight.addBasedOn().setReference("ServiceRequest/" + orderId);
        String weightId = create(weight);
        String otherId = create(observation("57714-8", boy, "2024-05-03T10:00:00Z"));

        // then
        assertThat(ids("Observation?code=http://loinc.org|8339-4&subject=Patient/" + girl)).containsExactly(weightId);
        assertThat(ids("Observation?patient=" + girl)).containsExactly(weightId);
        assertThat(ids("Observation?subject:Patient=" + boy)).containsExactly(otherId);
        assertThat(ids("Observation?specimen=" + cardId)).containsExactly(weightId);
        assertThat(ids("Observation?based-on=ServiceRequest/" + orderId)).containsExactly(weightId);
        assertThat(ids("Observation?patient=" + girl + "&status=final&date=2024-05-01")).containsExactly(weightId);
        assertThat(ids("Observation?patient=" + girl + "&date=gt2024-05-02")).isEmpty();
        assertThat(ids("Specimen?accession=" + system + "|CARD-9")).containsExactly(cardId);
        assertThat(ids("Specimen?patient=" + baseUrl() + "/Patient/" + girl)).containsExactly(cardId);
    }

    @Test
    void shouldFindNothingWhenAReferenceNamesATargetTypeTheRegistryDoesNotHold() {
        assertThat(ids("Observation?based-on=CarePlan/" + girl)).isEmpty();
        assertThat(ids("Observation?performer=CareTeam/" + girl)).isEmpty();
    }

    @Test
    void shouldFindByCanonicalWhenAReferenceParameterCoversACanonicalElement() {
        // given
        ServiceRequest order = new ServiceRequest();
        order.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE).setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        order.getSubject().setReference("Patient/" + girl);
        order.addInstantiatesCanonical("http://example.org/fhir/PlanDefinition/newborn-screening-" + system.substring(9));
        String orderId = create(order);

        // then
        assertThat(ids("ServiceRequest?instantiates-canonical=http://example.org/fhir/PlanDefinition/newborn-screening-"
                + system.substring(9))).containsExactly(orderId);
    }

    @Test
    void shouldIncludeReferencedAndRevIncludeReferringResources() {
        // given
        String weightId = create(observation("8339-4", girl, "2024-05-01T10:00:00Z"));

        // when
        Bundle included = search("Observation?_id=" + weightId + "&_include=Observation:subject");
        Bundle revIncluded = search("Patient?_id=" + girl + "&_revinclude=Observation:subject");

        // then
        assertThat(entries(included, Bundle.SearchEntryMode.MATCH)).containsExactly("Observation/" + weightId);
        assertThat(entries(included, Bundle.SearchEntryMode.INCLUDE)).containsExactly("Patient/" + girl);
        assertThat(entries(revIncluded, Bundle.SearchEntryMode.MATCH)).containsExactly("Patient/" + girl);
        assertThat(entries(revIncluded, Bundle.SearchEntryMode.INCLUDE)).containsExactly("Observation/" + weightId);
    }

    @Test
    void shouldFollowIterateIncludesAcrossTwoHops() {
        // given
        Specimen card = new Specimen();
        card.getSubject().setReference("Patient/" + twin);
        String cardId = create(card);
        Observation result = observation("57128-1", twin, "2024-01-02T00:00:00Z");
        result.getSpecimen().setReference("Specimen/" + cardId);
        String resultId = create(result);

        // when
        Bundle bundle = search("Observation?_id=" + resultId
                + "&_include=Observation:specimen&_include:iterate=Specimen:subject");

        // then
        assertThat(entries(bundle, Bundle.SearchEntryMode.INCLUDE))
                .containsExactlyInAnyOrder("Specimen/" + cardId, "Patient/" + twin);
    }

    @Test
    void shouldSortByLastUpdatedBothWays() {
        assertThat(ids(scoped("_sort=_lastUpdated"))).containsExactly(girl, boy, twin);
        assertThat(ids(scoped("_sort=-_lastUpdated"))).containsExactly(twin, boy, girl);
    }

    @Test
    void shouldSortByDateStringAndTokenParametersWithSeveralKeysAndNoValueLast() {
        // given: girl 2024-05-01, boy 2024-05-03, twin 2023-12-31; one more without a birth date
        Patient undated = newborn("U1", "Adams", "Baby", AdministrativeGender.MALE, "2024-01-01");
        undated.setBirthDate(null);
        String noDate = create(undated);

        // then
        assertThat(ids(scoped("_sort=birthdate"))).containsExactly(twin, girl, boy, noDate);
        assertThat(ids(scoped("_sort=-birthdate"))).containsExactly(boy, girl, twin, noDate);
        assertThat(ids(scoped("_sort=family"))).containsExactly(noDate, girl, boy, twin);
        assertThat(ids(scoped("_sort=gender,-birthdate"))).containsExactly(girl, twin, boy, noDate);
        assertThat(ids(scoped("_sort=-gender,family"))).containsExactly(noDate, boy, girl, twin);
    }

    @Test
    void shouldPageASortedSearchStablyAcrossEqualKeysAndMissingValues() {
        // given: eleven newborns, several born the same day and two without a birth date
        List<String> created = new ArrayList<>(List.of(girl, boy, twin));
        for (int i = 0; i < 8; i++) {
            Patient patient = newborn("S" + i, "Sort", "N" + i, AdministrativeGender.FEMALE, "2024-03-0" + (1 + i % 3));
            if (i % 4 == 3) {
                patient.setBirthDate(null);
            }
            created.add(create(patient));
        }
        List<String> expected = ids(scoped("_sort=-birthdate,family&_count=100"));

        // when
        List<String> seen = new ArrayList<>();
        Bundle page = search(scoped("_sort=-birthdate,family&_count=2"));
        while (true) {
            page.getEntry().forEach(e -> seen.add(e.getResource().getIdElement().getIdPart()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            page = client.loadPage().next(page).execute();
        }

        // then
        assertThat(expected).containsExactlyInAnyOrderElementsOf(created);
        assertThat(seen).as("pages of two give the one order, each match once").containsExactlyElementsOf(expected);
        assertThat(expected.subList(0, 2)).containsExactly(boy, girl);
        assertThat(expected.subList(expected.size() - 2, expected.size())).as("no birth date: last")
                .allMatch(id -> created.indexOf(id) >= 3 && (created.indexOf(id) - 3) % 4 == 3);
    }

    @Test
    void shouldSortObservationsByDate() {
        // given
        String early = create(observation("8339-4", girl, "2024-05-01T09:00:00Z"));
        String late = create(observation("8339-4", girl, "2024-05-02T09:00:00Z"));
        String middle = create(observation("8339-4", girl, "2024-05-01T21:00:00Z"));

        // then
        assertThat(ids("Observation?subject=Patient/" + girl + "&_sort=date")).containsExactly(early, middle, late);
        assertThat(ids("Observation?subject=Patient/" + girl + "&_sort=-date")).containsExactly(late, middle, early);
    }

    @Test
    void shouldPageThroughAllMatchesWithNextLinksServedFromTheDatabase() {
        // given
        List<String> expected = new ArrayList<>(List.of(girl, boy, twin));
        for (int i = 0; i < 5; i++) {
            expected.add(create(newborn("P" + i, "Page", "N" + i, AdministrativeGender.MALE, "2024-02-0" + (i + 1))));
        }

        // when
        List<String> seen = new ArrayList<>();
        Bundle page = search(scoped("_count=3&_sort=_lastUpdated"));
        int pages = 0;
        while (true) {
            pages++;
            page.getEntry().forEach(e -> seen.add(e.getResource().getIdElement().getIdPart()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            assertThat(page.getLink(Bundle.LINK_NEXT).getUrl()).contains("_getpages=");
            page = client.loadPage().next(page).execute();
        }

        // then
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(jdbc.queryForObject("select count(*) from search_cursor", Integer.class)).isPositive();
    }

    @Test
    void shouldAnswer410WhenTheStoredSearchOfANextLinkHasExpired() {
        // given
        Bundle first = search(scoped("_count=1"));
        assertThat(first.getLink(Bundle.LINK_NEXT)).isNotNull();

        // when: what the scheduled reaper does once the retention has passed
        int removed = cursors.deleteCreatedBefore(Instant.now().plusSeconds(1));

        // then
        assertThat(removed).isPositive();
        assertThrows(ResourceGoneException.class, () -> client.loadPage().next(first).execute());
    }

    @Test
    void shouldCountAllMatchesWhenTotalIsAskedFor() {
        Bundle bundle = search(scoped("_count=1&_total=accurate"));
        assertThat(bundle.getTotal()).isEqualTo(3);
        assertThat(bundle.getEntry()).hasSize(1);
    }

    @Test
    void shouldRefuseUnknownParameterChainsUnsupportedModifiersAndBadDatesWith400() {
        assertThat(nbrCode(assertThrows(InvalidRequestException.class, () -> search("Patient?nickname=x"))))
                .isEqualTo("NBR-2001");
        assertThat(nbrCode(assertThrows(InvalidRequestException.class, () -> search("Observation?subject.name=x"))))
                .isEqualTo("NBR-2003");
        assertThat(nbrCode(assertThrows(InvalidRequestException.class, () -> search("Patient?family:text=x"))))
                .isEqualTo("NBR-2003");
        assertThat(nbrCode(assertThrows(InvalidRequestException.class, () -> search("Patient?birthdate=yesterday"))))
                .isEqualTo("NBR-2002");
        assertThat(nbrCode(assertThrows(InvalidRequestException.class, () -> search("Patient?_sort=general-practitioner"))))
                .isEqualTo("NBR-2003");
        assertThat(nbrCode(assertThrows(InvalidRequestException.class, () -> search("Patient?_sort=nickname"))))
                .isEqualTo("NBR-2001");
    }

    private String scoped(String query) {
        return "Patient?identifier=" + system + "|&" + query;
    }

    private Bundle search(String url) {
        return client.search().byUrl(url).returnBundle(Bundle.class).execute();
    }

    private List<String> ids(String url) {
        return search(url).getEntry().stream()
                .filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                .map(e -> e.getResource().getIdElement().getIdPart()).toList();
    }

    private static List<String> entries(Bundle bundle, Bundle.SearchEntryMode mode) {
        return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == mode)
                .map(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue()).toList();
    }

    private String create(Resource resource) {
        return ((IdType) client.create().resource(resource).execute().getId()).getIdPart();
    }

    private Patient newborn(String mrn, String family, String given, AdministrativeGender gender, String born) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(system).setValue(mrn);
        patient.addName().setFamily(family).addGiven(given);
        patient.setGender(gender);
        patient.getBirthDateElement().setValueAsString(born.substring(0, 10));
        if (born.length() > 10) {
            patient.getBirthDateElement().addExtension("http://hl7.org/fhir/StructureDefinition/patient-birthTime",
                    new org.hl7.fhir.r4.model.DateTimeType(born));
        }
        return patient;
    }

    private static Observation observation(String loinc, String patientId, String effective) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode(loinc);
        observation.getSubject().setReference("Patient/" + patientId);
        observation.setEffective(new org.hl7.fhir.r4.model.DateTimeType(effective));
        return observation;
    }
}

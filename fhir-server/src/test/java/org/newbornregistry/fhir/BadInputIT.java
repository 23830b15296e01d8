package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BadInputIT extends RegistryIntegrationSupport {

    private final HttpClient http = TestTokens.http();

    @Test
    void shouldAnswer400WithOperationOutcomeForMalformedJson() throws Exception {
        // when
        HttpResponse<String> response = post("/Patient", "application/fhir+json", "{\"resourceType\":\"Patient\",\"name\":[");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        OperationOutcome outcome = outcome(response);
        assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("Failed to parse JSON");
        assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("NBR-1001");
    }

    @Test
    void shouldAnswer400NotInternalErrorForBodyThatMakesHapisParserThrowUnchecked() throws Exception {
        // given: HAPI 8.8's JSON parser meets a non-object in an extension array with a NullPointerException
        String nested = "{\"resourceType\":\"Patient\",\"extension\":[{\"url\":\"http://example.org/x\",\"extension\":[1]}]}";
        String topLevel = "{\"resourceType\":\"Patient\",\"extension\":[null]}";

        // when
        HttpResponse<String> nestedResponse = post("/Patient", "application/fhir+json", nested);
        HttpResponse<String> topLevelResponse = post("/Patient", "application/fhir+json", topLevel);

        // then
        for (HttpResponse<String> response : List.of(nestedResponse, topLevelResponse)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(outcome(response).getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("NBR-1001");
        }
    }

    @Test
    void shouldAnswer400ForMalformedXml() throws Exception {
        // when
        HttpResponse<String> response = post("/Patient", "application/fhir+xml",
                "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"female\"></Patient>");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(outcome(response).getIssue()).isNotEmpty();
    }

    @Test
    void shouldAnswer400ForInvalidValueNamingTheElementButNotEchoingTheValue() throws Exception {
        // when
        HttpResponse<String> response = post("/Patient", "application/fhir+json",
                "{\"resourceType\":\"Patient\",\"birthDate\":\"2024-02-31\"}");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("birthDate").doesNotContain("2024-02-31");
    }

    @Test
    void shouldAnswer400ForUnknownElementRatherThanDropIt() throws Exception {
        // when
        HttpResponse<String> response = post("/Patient", "application/fhir+json",
                "{\"resourceType\":\"Patient\",\"nickname\":\"x\"}");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("nickname");
    }

    @Test
    void shouldAnswer404ForResourceTypeTheRegistryDoesNotKnow() throws Exception {
        // when
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/Medication/1")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(outcome(response).getIssue()).isNotEmpty();
    }

    @Test
    void shouldAnswer413ForOversizedResourceAndStoreNothing() throws Exception {
        // given
        String system = uniqueSystem();
        Patient huge = Fixtures.newborn(system, "BIG");
        huge.getText().setStatus(org.hl7.fhir.r4.model.Narrative.NarrativeStatus.GENERATED)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + "x".repeat(3 * 1024 * 1024) + "</div>");
        String body = FHIR.newJsonParser().encodeResourceToString(huge);

        // when
        HttpResponse<String> sized = post("/Patient", "application/fhir+json", body);
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/Patient"))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))).build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(sized.statusCode()).isEqualTo(413);
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(outcome(sized).getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("NBR-1002");
        assertThat(jdbc.queryForObject("select count(*) from business_identifier where system = ?", Integer.class, system))
                .isZero();
    }

    @Test
    void shouldRefuseReferenceToMissingResourceWith422() {
        // given
        Observation weight = Fixtures.birthWeight("Patient/does-not-exist");

        // when
        UnprocessableEntityException error = assertThrows(UnprocessableEntityException.class,
                () -> client.create().resource(weight).execute());

        // then
        assertThat(nbrCode(error)).isEqualTo("NBR-3005");
        assertThat(((OperationOutcome) error.getOperationOutcome()).getIssueFirstRep().getExpression().get(0).getValue())
                .isEqualTo("Observation.subject");
    }

    @Test
    void shouldRefuseReferenceToTypeTheRegistryDoesNotHoldWith422() {
        // given
        Observation weight = Fixtures.birthWeight("Group/1");

        // when
        UnprocessableEntityException error = assertThrows(UnprocessableEntityException.class,
                () -> client.create().resource(weight).execute());

        // then
        assertThat(nbrCode(error)).isEqualTo("NBR-3006");
    }

    @Test
    void shouldRefuseToDeleteNewbornThatResultsStillReferTo() {
        // given
        String patientId = client.create().resource(Fixtures.newborn(uniqueSystem(), "REFD")).execute().getId().getIdPart();
        client.create().resource(Fixtures.birthWeight("Patient/" + patientId)).execute();

        // when
        ResourceVersionConflictException error = assertThrows(ResourceVersionConflictException.class,
                () -> client.delete().resourceById("Patient", patientId).execute());

        // then
        assertThat(nbrCode(error)).isEqualTo("NBR-3007");
        assertThat(client.read().resource(Patient.class).withId(patientId).execute()).isNotNull();
    }

    @Test
    void shouldRefuseDeleteOfOrderThatASpecimenRefersToThroughAnElementNoSearchParameterCovers() {
        // given: Specimen.request has no R4 search parameter
        ServiceRequest order = new ServiceRequest();
        order.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE).setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        order.getSubject().setReference("Patient/" + client.create().resource(Fixtures.newborn(uniqueSystem(), "ORD"))
                .execute().getId().getIdPart());
        String orderId = client.create().resource(order).execute().getId().getIdPart();
        Specimen card = new Specimen();
        card.addRequest().setReference("ServiceRequest/" + orderId);
        client.create().resource(card).execute();

        // when
        ResourceVersionConflictException error = assertThrows(ResourceVersionConflictException.class,
                () -> client.delete().resourceById("ServiceRequest", orderId).execute());

        // then
        assertThat(nbrCode(error)).isEqualTo("NBR-3007");
        assertThat(error.getMessage()).contains("Specimen.request");
    }

    @Test
    void shouldStoreAbsoluteReferenceToThisServerAsLocalAndCheckIt() {
        // given
        String patientId = client.create().resource(Fixtures.newborn(uniqueSystem(), "ABS")).execute().getId().getIdPart();

        // when
        String weightId = client.create().resource(Fixtures.birthWeight(baseUrl() + "/Patient/" + patientId))
                .execute().getId().getIdPart();
        UnprocessableEntityException missing = assertThrows(UnprocessableEntityException.class, () ->
                client.create().resource(Fixtures.birthWeight(baseUrl() + "/Patient/not-there")).execute());

        // then
        assertThat(client.read().resource(Observation.class).withId(weightId).execute().getSubject().getReference())
                .isEqualTo("Patient/" + patientId);
        assertThat(nbrCode(missing)).isEqualTo("NBR-3005");
    }

    @Test
    void shouldRefuseUrnPlaceholderOutsideATransactionWith422() {
        UnprocessableEntityException error = assertThrows(UnprocessableEntityException.class, () ->
                client.create().resource(Fixtures.birthWeight("urn:uuid:" + UUID.randomUUID())).execute());
        assertThat(nbrCode(error)).isEqualTo("NBR-3005");
    }

    @Test
    void shouldRefuseConditionalWriteWithoutSearchCriteria() throws Exception {
        // when
        HttpResponse<String> response = put("/Patient?_format=json", "{\"resourceType\":\"Patient\"}");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).contains("no search criteria");
    }

    @Test
    void shouldRefuseIdsOutsideFhirIdSyntaxWith400() {
        // given
        Patient newborn = Fixtures.newborn(uniqueSystem(), "LONGID");
        newborn.setId("x".repeat(65));

        // when / then
        assertThat(nbrCode(assertThrows(InvalidRequestException.class, () -> client.update().resource(newborn).execute())))
                .isEqualTo("NBR-1003");
    }

    @Test
    void shouldAnswer400WhenBodyIdDiffersFromUrlId() throws Exception {
        // when
        HttpResponse<String> response = put("/Patient/aaa", "{\"resourceType\":\"Patient\",\"id\":\"bbb\"}");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                        .header("Content-Type", "application/fhir+json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswer400ForANulInAParameterOnEveryApiNotAnInternalError() throws Exception {
        // when: a NUL, which no database text column holds, in a FHIR search, an audit filter and an admin filter
        HttpResponse<String> fhir = get(baseUrl() + "/Patient?family=a%00b");
        HttpResponse<String> audit = get("http://localhost:" + port + "/audit/consent-log?organization=a%00b");
        HttpResponse<String> admin = get("http://localhost:" + port + "/admin/hl7/messages?controlId=a%00b");

        // then
        assertThat(fhir.statusCode()).isEqualTo(400);
        assertThat(outcome(fhir).getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("NBR-2002");
        for (HttpResponse<String> response : List.of(audit, admin)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(response.body()).contains("NUL");
        }
    }

    @Test
    void shouldAnswer400ForAnInstantFilterBeyondTheYearsTheStoreHolds() throws Exception {
        // when: Instant.parse takes year +1000000000; PostgreSQL does not
        HttpResponse<String> audit = get("http://localhost:" + port + "/audit/consent-log?from=%2B1000000000-12-31T23:59:59Z");
        HttpResponse<String> admin = get("http://localhost:" + port + "/admin/hl7/messages?receivedFrom=%2B1000000000-12-31T23:59:59Z");
        HttpResponse<String> export = get("http://localhost:" + port
                + "/audit/events/export?from=-999999999-01-01T00:00:00Z&to=2024-01-01T00:00:00Z");

        // then
        assertThat(List.of(audit.statusCode(), admin.statusCode(), export.statusCode())).containsOnly(400);
    }

    @Test
    void shouldAnswer400ForAResourceNestedDeeperThanTheValidatorReads() throws Exception {
        // given: 130 extensions, each inside the one before (the validator's JSON reader stops at 255 levels)
        String extension = "{\"url\":\"http://example.org/x\",\"valueString\":\"v\"}";
        for (int i = 0; i < 130; i++) {
            extension = "{\"url\":\"http://example.org/x\",\"extension\":[" + extension + "]}";
        }
        String patient = "{\"resourceType\":\"Patient\",\"extension\":[" + extension + "]}";

        // when
        HttpResponse<String> response = post("/Patient", "application/fhir+json", patient);

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(outcome(response).getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("NBR-1003");
        assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).contains("nest more than 100 levels");
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static OperationOutcome outcome(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        return (OperationOutcome) (type.contains("xml")
                ? FHIR.newXmlParser().parseResource(response.body())
                : FHIR.newJsonParser().parseResource(response.body()));
    }
}

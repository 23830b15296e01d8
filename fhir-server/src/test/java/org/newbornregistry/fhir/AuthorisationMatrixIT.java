package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.newbornregistry.adapter.audit.RestAuditEvents;
import org.newbornregistry.fhir.security.DevelopmentIssuer;
import org.newbornregistry.fhir.security.Role;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The authorisation matrix: each role × resource type × interaction; the permitted ones succeed,
 * every other one is refused with 403 and audited under the token's subject. The records are in the
 * custody of the hospital token's organisation ({@link HospitalCustodyIT} covers other organisations). Without a token, or
 * with one from another key, 401 — audited too.
 */
class AuthorisationMatrixIT extends RegistryIntegrationSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest(name = "{0} {1} {2} → {3}")
    @CsvSource({
            // role,        interaction, type,        allowed
            "HOSPITAL,      create,      Patient,     true",
            "LAB,           create,      Patient,     false",
            "AUDITOR,       create,      Patient,     false",
            "INVESTIGATOR,  create,      Patient,     false",
            "ADMIN,         create,      Patient,     false",
            "HOSPITAL,      create,      Specimen,    true",
            "LAB,           create,      Specimen,    true",
            "AUDITOR,       create,      Specimen,    false",
            "INVESTIGATOR,  create,      Specimen,    false",
            "ADMIN,         create,      Specimen,    false",
            "HOSPITAL,      create,      Observation, false",
            "LAB,           create,      Observation, true",
            "AUDITOR,       create,      Observation, false",
            "INVESTIGATOR,  create,      Observation, false",
            "ADMIN,         create,      Observation, false",
            "HOSPITAL,      read,        Patient,     true",
            "LAB,           read,        Patient,     true",
            "AUDITOR,       read,        Patient,     false",
            "INVESTIGATOR,  read,        Patient,     false",
            "ADMIN,         read,        Patient,     false",
            "HOSPITAL,      read,        Observation, false",
            "LAB,           read,        Observation, true",
            "AUDITOR,       read,        Observation, true",
            "INVESTIGATOR,  read,        Observation, false",
            "ADMIN,         read,        Observation, false",
            "HOSPITAL,      search,      Patient,     true",
            "LAB,           search,      Patient,     true",
            "AUDITOR,       search,      Patient,     false",
            "INVESTIGATOR,  search,      Patient,     false",
            "ADMIN,         search,      Patient,     false",
            "HOSPITAL,      search,      AuditEvent,  false",
            "LAB,           search,      AuditEvent,  false",
            "AUDITOR,       search,      AuditEvent,  true",
            "INVESTIGATOR,  search,      AuditEvent,  false",
            "ADMIN,         search,      AuditEvent,  false",
            "HOSPITAL,      search,      Consent,     true",
            "LAB,           search,      Consent,     false",
            "AUDITOR,       search,      Consent,     true",
            "INVESTIGATOR,  search,      Consent,     false",
            "ADMIN,         search,      Consent,     false",
            "HOSPITAL,      search,      Observation, false",
            "LAB,           search,      Observation, true",
            "AUDITOR,       search,      Observation, true",
    })
    void shouldPermitExactlyWhatTheRoleScopesSay(Role role, String interaction, String type, boolean allowed) {
        // given
        String subject = role.id() + "-" + UUID.randomUUID();
        IGenericClient as = TestTokens.authorised(FHIR.newRestfulGenericClient(baseUrl()),
                TestTokens.issuer().mint(subject, role.scope(), "test-hospital", Duration.ofMinutes(5)));
        IGenericClient hospitalRecords = TestTokens.authorised(FHIR.newRestfulGenericClient(baseUrl()),
                TestTokens.issuer().mint("setup", TestTokens.ALL_SCOPES, "test-hospital", Duration.ofMinutes(5)));
        String system = uniqueSystem();
        String patient = hospitalRecords.create().resource(Fixtures.newborn(system, "M1")).execute().getId()
                .toUnqualifiedVersionless().getValue();
        Resource sample = switch (type) {
            case "Patient" -> Fixtures.newborn(system, "M2");
            case "Specimen" -> Fixtures.bloodSpot(system, "CARD-1");
            case "Observation" -> Fixtures.birthWeight(patient);
            default -> null;
        };
        String existing = switch (type) {
            case "Patient" -> patient;
            case "Observation" -> hospitalRecords.create().resource(Fixtures.birthWeight(patient)).execute().getId()
                    .toUnqualifiedVersionless().getValue();
            default -> null;
        };

        // when
        Runnable call = switch (interaction) {
            case "create" -> () -> as.create().resource(sample).execute();
            case "read" -> () -> as.read().resource(type).withUrl(existing).execute();
            default -> () -> as.search().byUrl(type + "?_count=1").returnBundle(Bundle.class).execute();
        };

        // then
        if (allowed) {
            call.run();
        } else {
            assertThatThrownBy(call::run).isInstanceOf(ForbiddenOperationException.class);
            assertThat(deniedEventsOf(subject, 403)).as("audited denial").isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0} reads {1} → {2}")
    @CsvSource({
            "HOSPITAL,      Practitioner,     true",
            "HOSPITAL,      PractitionerRole, true",
            "HOSPITAL,      Organization,     true",
            "HOSPITAL,      Location,         true",
            "LAB,           Practitioner,     true",
            "LAB,           Organization,     true",
            "AUDITOR,       Practitioner,     true",
            "AUDITOR,       Location,         true",
            "INVESTIGATOR,  Practitioner,     false",
            "ADMIN,         Organization,     false",
    })
    void shouldLetThoseWhoReceiveReferencesResolveTheDirectoryWhoeverRecordedIt(Role role, String type, boolean allowed) {
        // given: a directory record written under another organisation's token, as another hospital's message writes them
        String subject = role.id() + "-" + UUID.randomUUID();
        IGenericClient as = TestTokens.authorised(FHIR.newRestfulGenericClient(baseUrl()),
                TestTokens.issuer().mint(subject, role.scope(), "test-hospital", Duration.ofMinutes(5)));
        IGenericClient otherHospital = TestTokens.authorised(FHIR.newRestfulGenericClient(baseUrl()),
                TestTokens.issuer().mint("setup", TestTokens.ALL_SCOPES, "other-hospital", Duration.ofMinutes(5)));
        Resource record = (Resource) FHIR.getResourceDefinition(type).newInstance();
        FHIR.newTerser().addElement(record, "identifier.system", uniqueSystem());
        FHIR.newTerser().addElement(record, "identifier.value", "D1");
        String id = otherHospital.create().resource(record).execute().getId().toUnqualifiedVersionless().getValue();

        // when
        Runnable read = () -> as.read().resource(type).withUrl(id).execute();
        Runnable search = () -> as.search().byUrl(type + "?_id=" + id.split("/")[1]).returnBundle(Bundle.class).execute();

        // then
        if (allowed) {
            read.run();
            search.run();
        } else {
            assertThatThrownBy(read::run).isInstanceOf(ForbiddenOperationException.class);
        }
    }

    @ParameterizedTest(name = "{0} on {1} → {2}")
    @CsvSource({
            "ADMIN,        /admin/hl7/messages, 200",
            "HOSPITAL,     /admin/hl7/messages, 403",
            "AUDITOR,      /admin/hl7/messages, 403",
            "LAB,          /admin/hl7/messages, 403",
            "INVESTIGATOR, /admin/hl7/messages, 403",
            "AUDITOR,      /audit/consent-log,  200",
            "ADMIN,        /audit/consent-log,  200",
            "HOSPITAL,     /audit/consent-log,  403",
            "LAB,          /audit/consent-log,  403",
            "INVESTIGATOR, /audit/consent-log,  403",
            "AUDITOR,      /audit/overview,     200",
            "ADMIN,        /audit/overview,     200",
            "HOSPITAL,     /audit/overview,     403",
            "LAB,          /audit/overview,     403",
    })
    void shouldOpenTheAdminAndAuditApisByRole(Role role, String path, int status) throws Exception {
        // given
        String subject = role.id() + "-" + UUID.randomUUID();
        String token = TestTokens.issuer().mint(subject, role.scope(), null, Duration.ofMinutes(5));

        // when
        HttpResponse<String> response = get(path, token);

        // then
        assertThat(response.statusCode()).isEqualTo(status);
        if (status == 403) {
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(response.body()).contains("\"status\":403");
            assertThat(deniedEventsOf(subject, 403)).isEqualTo(1);
        }
    }

    @Test
    void shouldAnswer401WithAnOperationOutcomeAndAuditItWhenFhirIsCalledWithoutAToken() throws Exception {
        // given
        long before = deniedEventsOf("unauthenticated client", 401);

        // when
        HttpResponse<String> response = get("/fhir/Patient?_count=1", null);

        // then
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/fhir+json"));
        assertThat(response.body()).contains("\"resourceType\":\"OperationOutcome\"", "\"code\":\"login\"");
        assertThat(deniedEventsOf("unauthenticated client", 401)).isEqualTo(before + 1);
    }

    @Test
    void shouldAnswer401WithProblemDetailsWhenAnAdminApiIsCalledWithoutAToken() throws Exception {
        // when
        HttpResponse<String> response = get("/admin/hl7/messages", null);

        // then
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":401");
    }

    @Test
    void shouldRefuseATokenSignedWithAnotherKey(@org.junit.jupiter.api.io.TempDir Path directory) throws Exception {
        // given
        String forged = DevelopmentIssuer.loadOrCreate(directory.resolve("other.key"))
                .mint("forger", TestTokens.ALL_SCOPES, null, Duration.ofMinutes(5));

        // when
        HttpResponse<String> response = get("/fhir/Patient?_count=1", forged);

        // then
        assertThat(response.statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> TestTokens.authorised(FHIR.newRestfulGenericClient(baseUrl()), forged)
                .search().byUrl("Patient?_count=1").returnBundle(Bundle.class).execute())
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void shouldSearchByAnIdThatIsNoPlainIdLikeWithoutAuthorisation() {
        // when
        Bundle found = client.search().byUrl("Patient?_id=" + uniqueSystem() + "|x").returnBundle(Bundle.class).execute();

        // then
        assertThat(found.getEntry()).isEmpty();
    }

    @Test
    void shouldLeaveTheCapabilityStatementAndHealthOpen() throws Exception {
        assertThat(get("/fhir/metadata", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/env", TestTokens.all()).statusCode()).isEqualTo(403);
    }

    @Test
    void shouldNameTheTokenSubjectInTheAuditEventOfAPermittedRequest() {
        // given
        String subject = "hospital-" + UUID.randomUUID();
        IGenericClient as = TestTokens.authorised(FHIR.newRestfulGenericClient(baseUrl()),
                TestTokens.issuer().mint(subject, Role.HOSPITAL.scope(), "test-hospital", Duration.ofMinutes(5)));

        // when
        as.search().byUrl("Patient?_count=1").returnBundle(Bundle.class).execute();

        // then
        List<AuditEvent> events = jdbc.queryForList("""
                        select content from audit_event where content like ?""", String.class, "%\"display\":\"" + subject + "\"%")
                .stream().map(json -> FHIR.newJsonParser().parseResource(AuditEvent.class, json)).toList();
        assertThat(events).singleElement().satisfies(e -> assertThat(e.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0));
    }

    @Test
    void shouldTellTwoOrganisationsUsersWithOneSubjectApartInTheAuditLog() {
        // given: one subject, two hospitals' tokens
        String subject = "nurse-" + UUID.randomUUID();
        for (String organisation : List.of("hospital-a", "hospital-b")) {
            TestTokens.authorised(FHIR.newRestfulGenericClient(baseUrl()),
                            TestTokens.issuer().mint(subject, Role.HOSPITAL.scope(), organisation, Duration.ofMinutes(5)))
                    .search().byUrl("Patient?_count=1").returnBundle(Bundle.class).execute();
        }

        // when
        List<AuditEvent> events = jdbc.queryForList("""
                        select content from audit_event where content like ?""", String.class, "%\"display\":\"" + subject + "\"%")
                .stream().map(json -> FHIR.newJsonParser().parseResource(AuditEvent.class, json)).toList();

        // then
        assertThat(events).hasSize(2).allSatisfy(e -> assertThat(e.getAgent()).anySatisfy(agent -> {
            assertThat(agent.getName()).isEqualTo(subject);
            assertThat(agent.getAltId()).isEqualTo(DevelopmentIssuer.CLIENT_ID);
        }));
        assertThat(events).extracting(e -> e.getAgent().stream()
                        .filter(agent -> RestAuditEvents.ORGANIZATION_SYSTEM.equals(agent.getWho().getIdentifier().getSystem()))
                        .map(agent -> agent.getWho().getIdentifier().getValue()).findFirst().orElse(null))
                .containsExactlyInAnyOrder("hospital-a", "hospital-b");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"no expiry", "an empty organisation", "an organisation that is no name"})
    void shouldRefuseATokenTheRegistryCannotBoundOrConfine(String flaw) throws Exception {
        // given
        java.time.Instant now = java.time.Instant.now();
        com.nimbusds.jwt.JWTClaimsSet.Builder claims = new com.nimbusds.jwt.JWTClaimsSet.Builder()
                .issuer(DevelopmentIssuer.ISSUER).subject("probe").issueTime(java.util.Date.from(now))
                .claim("scope", Role.HOSPITAL.scope())
                .expirationTime(java.util.Date.from(now.plusSeconds(300)));
        switch (flaw) {
            case "no expiry" -> claims.expirationTime(null).claim("organization", "test-hospital");
            case "an empty organisation" -> claims.claim("organization", "");
            default -> claims.claim("organization", 42);
        }
        String token = TestTokens.issuer().sign(claims.build());

        // when
        HttpResponse<String> response = get("/fhir/Patient?_count=1", token);

        // then
        assertThat(response.statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long deniedEventsOf(String user, int status) {
        return jdbc.queryForObject("""
                        select count(*) from audit_event where content like ? and content like ?""", Long.class,
                "%\"display\":\"" + user + "\"%", "%\"outcomeDesc\":\"HTTP " + status + "\"%");
    }
}

package org.newbornregistry.fhir;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.SearchParameter;
import org.newbornregistry.conformance.FhirExamples;
import org.newbornregistry.conformance.NbrCanonical;
import org.newbornregistry.fhir.search.ServedSearchParameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CapabilityStatement promises nothing the server does not do: every listed search works. */
class CapabilityStatementIT extends RegistryIntegrationSupport {

    private static final Set<String> REGISTRY_TYPES = Set.of("Patient", "RelatedPerson", "Encounter", "Organization",
            "Practitioner", "PractitionerRole", "Location", "Specimen", "ServiceRequest", "Observation",
            "DiagnosticReport", "Consent", "Provenance", "AuditEvent", "Device");

    private CapabilityStatement capabilities;

    @BeforeEach
    void fetchMetadata() {
        capabilities = client.capabilities().ofType(CapabilityStatement.class).execute();
    }

    @Test
    void shouldListEveryRegistryTypeWithItsInteractionsAndConditionalSupport() {
        List<CapabilityStatementRestResourceComponent> resources = capabilities.getRestFirstRep().getResource();
        assertThat(resources).extracting(CapabilityStatementRestResourceComponent::getType).containsAll(REGISTRY_TYPES);
        for (CapabilityStatementRestResourceComponent resource : registryResources()) {
            if (resource.getType().equals("AuditEvent")) {
                assertThat(resource.getInteraction()).as("the audit log, written by the registry alone").extracting(i -> i.getCode())
                        .containsExactlyInAnyOrder(TypeRestfulInteraction.READ, TypeRestfulInteraction.VREAD,
                                TypeRestfulInteraction.SEARCHTYPE);
                assertThat(resource.getConditionalCreate()).isFalse();
                assertThat(resource.getConditionalUpdate()).isFalse();
                assertThat(resource.getSearchParam()).extracting(p -> p.getName()).containsExactlyInAnyOrder("date", "patient",
                        "entity", "agent", "agent-name", "action", "outcome", "type", "subtype", "source", "_id");
                assertThat(resource.getSearchRevInclude()).isEmpty();
                continue;
            }
            assertThat(resource.getInteraction()).extracting(i -> i.getCode())
                    .as(resource.getType())
                    .contains(TypeRestfulInteraction.READ, TypeRestfulInteraction.VREAD, TypeRestfulInteraction.CREATE,
                            TypeRestfulInteraction.HISTORYINSTANCE, TypeRestfulInteraction.HISTORYTYPE,
                            TypeRestfulInteraction.SEARCHTYPE);
            assertThat(resource.getConditionalCreate()).isTrue();
            assertThat(resource.getInteraction()).extracting(i -> i.getCode()).as(resource.getType())
                    .contains(TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.DELETE);
            assertThat(resource.getConditionalUpdate()).isTrue();
            assertThat(resource.getVersioning()).isEqualTo(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE);
        }
        assertThat(capabilities.getRestFirstRep().getInteraction()).extracting(i -> i.getCode())
                .contains(CapabilityStatement.SystemRestfulInteraction.TRANSACTION,
                        CapabilityStatement.SystemRestfulInteraction.BATCH);
    }

    @Test
    void shouldListTheSearchParametersTheIssueAsksFor() {
        assertThat(params("Patient")).contains("_id", "_lastUpdated", "identifier", "birthdate", "gender", "name", "family");
        assertThat(params("Observation")).contains("patient", "subject", "code", "date", "status", "specimen", "based-on");
        assertThat(params("Specimen")).contains("accession", "identifier", "patient");
    }

    @Test
    void shouldPublishTheRegistrysOwnSearchParameterAndFindConsentsByANestedProvisionsPurpose() {
        // given
        FhirExamples story = FhirExamples.story();
        client.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class, story.json("birth-transaction.json"))).execute();
        Consent consent = Fixtures.uniqueConsent(story);
        String system = consent.getIdentifierFirstRep().getSystem();
        String value = consent.getIdentifierFirstRep().getValue();
        client.create().resource(consent).execute();
        String purpose = NbrCanonical.REGISTRY_PURPOSE_SYSTEM + "|national-index-submission";

        // when
        SearchParameter published = client.read().resource(SearchParameter.class).withId("consent-provision-purpose").execute();
        Bundle byNestedPurpose = client.search().byUrl("Consent?identifier=" + system + "|" + value + "&provision-purpose=" + purpose)
                .returnBundle(Bundle.class).execute();
        Bundle byTopPurpose = client.search().byUrl("Consent?identifier=" + system + "|" + value + "&purpose=" + purpose)
                .returnBundle(Bundle.class).execute();

        // then
        CapabilityStatementRestResourceSearchParamComponent listed = registryResources().stream()
                .filter(r -> r.getType().equals("Consent")).findFirst().orElseThrow().getSearchParam().stream()
                .filter(p -> p.getName().equals("provision-purpose")).findFirst().orElseThrow();
        assertThat(listed.getDefinition()).isEqualTo(published.getUrl());
        assertThat(byNestedPurpose.getEntry()).hasSize(1);
        assertThat(byTopPurpose.getEntry()).as("R4's purpose reaches the top provision only").isEmpty();
    }

    @Test
    void shouldAcceptEverySearchParameterIncludeAndRevIncludeItLists() {
        List<String> refused = new ArrayList<>();
        for (CapabilityStatementRestResourceComponent resource : registryResources()) {
            for (CapabilityStatementRestResourceSearchParamComponent param : resource.getSearchParam()) {
                String url = resource.getType() + "?" + param.getName() + "=" + sampleValue(param.getType());
                if (!accepted(url)) {
                    refused.add(url);
                }
            }
            resource.getSearchInclude().forEach(include -> {
                if (!accepted(resource.getType() + "?_include=" + include.getValue())) {
                    refused.add(resource.getType() + " _include=" + include.getValue());
                }
            });
            resource.getSearchRevInclude().forEach(include -> {
                if (!accepted(resource.getType() + "?_revinclude=" + include.getValue())) {
                    refused.add(resource.getType() + " _revinclude=" + include.getValue());
                }
            });
        }
        assertThat(refused).isEmpty();
    }

    private boolean accepted(String url) {
        try {
            client.search().byUrl(url).returnBundle(Bundle.class).execute();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private List<CapabilityStatementRestResourceComponent> registryResources() {
        return capabilities.getRestFirstRep().getResource().stream()
                .filter(r -> REGISTRY_TYPES.contains(r.getType())).toList();
    }

    @Test
    void shouldListServeAndIndexOnlyTheSearchParametersTheRegistryDeclares() {
        // given
        String system = uniqueSystem();
        String id = client.create().resource(Fixtures.newborn(system, "MRN-SERVED")).execute().getId().getIdPart();

        // when
        List<String> patient = params("Patient");
        List<String> indexed = jdbc.queryForList("""
                select distinct param from (
                    select param from idx_token t join resource r on r.pid = t.res_pid where r.res_type = 'Patient' and r.res_id = ?
                    union all select param from idx_string t join resource r on r.pid = t.res_pid where r.res_type = 'Patient' and r.res_id = ?
                    union all select param from idx_date t join resource r on r.pid = t.res_pid where r.res_type = 'Patient' and r.res_id = ?
                    union all select param from idx_reference t join resource r on r.pid = t.res_pid where r.res_type = 'Patient' and r.res_id = ?
                    union all select param from idx_uri t join resource r on r.pid = t.res_pid where r.res_type = 'Patient' and r.res_id = ?
                ) p""", String.class, id, id, id, id, id);

        // then
        assertThat(patient).contains("identifier", "name", "birthdate", "gender", "link", "_id", "_lastUpdated")
                .doesNotContain("address-city", "address-state", "language", "deceased", "death-date", "email");
        assertThat(indexed).as("index rows of listed parameters only").contains("identifier", "birthdate");
        assertThat(patient).containsAll(indexed);
        assertThat(patient).allSatisfy(name -> assertThat(ServedSearchParameters.served("Patient", name)).as(name).isTrue());
        assertThatThrownBy(() -> client.search().byUrl("Patient?address-city=Springfield").returnBundle(Bundle.class).execute())
                .isInstanceOfSatisfying(ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(400));
    }

    private List<String> params(String type) {
        return registryResources().stream().filter(r -> r.getType().equals(type)).findFirst().orElseThrow()
                .getSearchParam().stream().map(CapabilityStatementRestResourceSearchParamComponent::getName).toList();
    }

    private static String sampleValue(SearchParamType type) {
        return switch (type) {
            case DATE -> "ge2024-01-01";
            case REFERENCE -> "Patient/any";
            case URI -> "http://example.org/x";
            default -> "x";
        };
    }
}

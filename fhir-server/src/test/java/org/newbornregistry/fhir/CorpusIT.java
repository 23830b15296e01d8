package org.newbornregistry.fhir;

import org.hl7.fhir.r4.model.Bundle;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.SharedCorpus;
import org.springframework.boot.test.context.SpringBootTest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The store against FHIR written by others: CDC's newborn bundles and the V2-to-FHIR guide's
 * example. Most of it breaks R4 (the official validator finds 226 errors in the ReportStream
 * bundle), so these run with validation off to test what the store does with such data;
 * {@link ProfileValidationIT} shows the same bundle refused when validation is on.
 */
@SpringBootTest(classes = RegistryTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "nbr.fhir.validation.enabled=false")
class CorpusIT extends RegistryIntegrationSupport {

    private static final Set<String> REGISTRY_TYPES = Set.of("Patient", "RelatedPerson", "Encounter", "Organization",
            "Practitioner", "PractitionerRole", "Location", "Specimen", "ServiceRequest", "Observation",
            "DiagnosticReport", "Consent", "Provenance", "AuditEvent", "Device");

    @Test
    void shouldStoreCdcNewbornPatientAndFindItByItsIdentifiersAndBirthDate() {
        // given
        Bundle collection = parse("fhir/ti_001_Patient_NBS_bundle.fhir.json");
        Patient twin = (Patient) collection.getEntryFirstRep().getResource();
        Identifier mrn = twin.getIdentifier().stream().filter(Identifier::hasSystem).findFirst().orElseThrow();

        // when
        client.update().resource(twin).execute();
        Patient stored = client.read().resource(Patient.class).withId(twin.getIdElement().getIdPart()).execute();
        Bundle byIdentifier = client.search().byUrl("Patient?identifier=" + mrn.getSystem() + "|" + mrn.getValue())
                .returnBundle(Bundle.class).execute();
        Bundle byBirthDate = client.search().byUrl("Patient?_id=" + twin.getIdElement().getIdPart()
                + "&birthdate=" + twin.getBirthDateElement().getValueAsString()).returnBundle(Bundle.class).execute();

        // then
        stored.setMeta(twin.getMeta());
        stored.setIdElement(twin.getIdElement());
        assertThat(stored.equalsDeep(twin)).as("stored Patient equals the corpus Patient").isTrue();
        assertThat(byIdentifier.getEntry()).hasSize(1);
        assertThat(byBirthDate.getEntry()).hasSize(1);
    }

    @Test
    void shouldRefuseReportStreamBundleAsIsBecauseTwoOrganizationsShareOneIdentifier() {
        // given: every resource as it came, PUT under its own id
        Bundle transaction = registryTransaction(reportStreamBundle(), false);

        // when
        ResourceVersionConflictException error = assertThrows(ResourceVersionConflictException.class,
                () -> client.transaction().withBundle(transaction).execute());

        // then
        assertThat(nbrCode(error)).isEqualTo("NBR-3001");
        assertThat(((OperationOutcome) error.getOperationOutcome()).getIssueFirstRep().getDiagnostics())
                .startsWith("Bundle.entry[").contains("Organization");
        assertThat(storedCount(transaction, "Observation")).isZero();
    }

    @Test
    void shouldLoadReportStreamResultsAsOneTransactionWhenOrganizationsAreCreatedConditionallyByIdentifier() {
        // given: resources with a business identifier are created with If-None-Exist on it, which
        // collapses ReportStream's duplicate Organization into one and repoints its references
        Bundle transaction = registryTransaction(reportStreamBundle(), true);
        Map<String, Long> expected = countByType(transaction);

        // when
        long started = System.nanoTime();
        Bundle response = client.transaction().withBundle(transaction).execute();
        long millis = (System.nanoTime() - started) / 1_000_000;

        // then
        System.out.printf("ReportStream NBS bundle: %d entries in one transaction in %d ms%n",
                transaction.getEntry().size(), millis);
        assertThat(response.getEntry()).hasSize(transaction.getEntry().size());
        assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus())
                .filteredOn("200 OK"::equals).as("the duplicate Organization, matched not created").hasSize(1);
        for (String type : List.of("Patient", "RelatedPerson", "Specimen", "ServiceRequest", "Observation",
                "DiagnosticReport", "Practitioner", "PractitionerRole")) {
            assertThat(storedCount(transaction, type)).as(type).isEqualTo(expected.get(type));
        }
        Set<String> organizations = response.getEntry().stream().map(e -> e.getResponse().getLocation())
                .filter(l -> l.startsWith("Organization/")).map(l -> new IdType(l).getIdPart()).collect(Collectors.toSet());
        assertThat(organizations).hasSize(expected.get("Organization").intValue() - 1);
        Observation anyResult = (Observation) transaction.getEntry().stream()
                .map(BundleEntryComponent::getResource).filter(r -> r instanceof Observation o && o.hasSubject())
                .findFirst().orElseThrow();
        Bundle results = client.search().byUrl("Observation?subject=" + anyResult.getSubject().getReference()
                + "&_count=200").returnBundle(Bundle.class).execute();
        assertThat(results.getEntry()).hasSize(expected.get("Observation").intValue());
    }

    /**
     * The entries of a ReportStream message Bundle whose types the registry holds, as a
     * transaction. The MessageHeader (and the Provenance that targets it) is the message envelope,
     * which the registry keeps as the raw message instead.
     */
    static Bundle registryTransaction(Bundle message, boolean conditionalOnIdentifier) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (BundleEntryComponent entry : message.getEntry()) {
            Resource resource = entry.getResource();
            if (!REGISTRY_TYPES.contains(resource.fhirType()) || refersToMessageHeader(resource)) {
                continue;
            }
            BundleEntryComponent copy = transaction.addEntry().setFullUrl(entry.getFullUrl()).setResource(resource);
            Identifier identifier = businessIdentifier(resource);
            if (conditionalOnIdentifier && identifier != null) {
                copy.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType())
                        .setIfNoneExist("identifier=" + identifier.getSystem() + "|" + identifier.getValue());
            } else {
                copy.getRequest().setMethod(Bundle.HTTPVerb.PUT)
                        .setUrl(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
            }
        }
        return transaction;
    }

    private static Identifier businessIdentifier(Resource resource) {
        if (resource.getNamedProperty("identifier") == null) {
            return null;
        }
        return resource.getNamedProperty("identifier").getValues().stream().map(Identifier.class::cast)
                .filter(i -> i.hasSystem() && i.hasValue()).findFirst().orElse(null);
    }

    private Long storedCount(Bundle transaction, String type) {
        return jdbc.queryForObject("select count(*) from resource where res_type = ? and res_id = any(?)", Long.class,
                type, transaction.getEntry().stream().filter(e -> e.getResource().fhirType().equals(type))
                        .map(e -> e.getResource().getIdElement().getIdPart()).toArray(String[]::new));
    }

    static Bundle reportStreamBundle() {
        return parse("fhir/ti_MN_004_ORU_R01_NBS_1_reportstream_hl7_to_fhir.fhir.json");
    }

    @Test
    void shouldRefuseV2ToFhirGuideExampleBundleAsInvalidNamingTheElementAndStoreNothing() throws Exception {
        // given: the guide's own expected output, which the official validator finds 32 errors in
        String guideExample = SharedCorpus.text("fhir/v2tofhir_ig_FHIR_bundle_ADT_A01.json");

        // when
        HttpResponse<String> response = TestTokens.http().send(HttpRequest.newBuilder(URI.create(baseUrl()))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(guideExample)).build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("NBR-1001");
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("element=\"use\"");
        assertThat(jdbc.queryForObject("select count(*) from resource where res_id = '1.2.3.4.5'", Integer.class)).isZero();
    }

    private static Bundle parse(String corpusPath) {
        return FHIR.newJsonParser().parseResource(Bundle.class, SharedCorpus.text(corpusPath));
    }

    private static boolean refersToMessageHeader(Resource resource) {
        return FHIR.newTerser().getAllResourceReferences(resource).stream()
                .anyMatch(r -> String.valueOf(r.getResourceReference().getReferenceElement().getValue()).startsWith("MessageHeader/"));
    }

    private static Map<String, Long> countByType(Bundle bundle) {
        return bundle.getEntry().stream().collect(Collectors.groupingBy(e -> e.getResource().fhirType(), TreeMap::new,
                Collectors.counting()));
    }
}

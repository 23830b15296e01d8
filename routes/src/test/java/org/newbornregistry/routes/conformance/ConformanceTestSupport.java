package org.newbornregistry.routes.conformance;

import org.newbornregistry.fhir.TestTokens;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the conformance suite: the adapter under test ({@link ConformanceTarget}), the
 * CapabilityStatement that drives the tests, a generic client whose every response body is
 * validated ({@link ResponseValidator}), and, after each test, the check that they all were valid
 * FHIR R4. Test data use identifier and code systems unique to the run, so that the suite's
 * classes never see each other's resources, nor those of a deployed adapter.
 */
@ExtendWith(ConformanceTarget.class)
abstract class ConformanceTestSupport {

    static ConformanceTarget.Session session;
    static IGenericClient client;
    static CapabilityStatement capabilities;
    static FixtureFactory fixtures;

    private static final HttpClient HTTP = TestTokens.http();

    @BeforeAll
    static void connect(ConformanceTarget.Session target) {
        session = target;
        client = target.client;
        capabilities = target.capabilities;
        fixtures = new FixtureFactory(target.fhir, uniqueSystem(), declaredTypes().stream()
                .map(CapabilityStatementRestResourceComponent::getType).toList());
    }

    @AfterEach
    void everyResponseShouldBeValidFhirR4() {
        session.validator.assertAllValid();
    }

    /**
     * A container of dynamic tests that ends with the check that the responses they received were
     * all valid FHIR R4, as {@link #everyResponseShouldBeValidFhirR4} checks for test methods.
     */
    static DynamicContainer validatedContainer(String name, Stream<DynamicTest> tests) {
        return DynamicContainer.dynamicContainer(name, Stream.concat(tests,
                Stream.of(DynamicTest.dynamicTest("every response above is valid FHIR R4", session.validator::assertAllValid))));
    }

    /** The server's REST capabilities (mode {@code server}). */
    static CapabilityStatementRestComponent rest() {
        return capabilities.getRest().stream()
                .filter(r -> r.getMode() == CapabilityStatement.RestfulCapabilityMode.SERVER)
                .findFirst().orElseThrow(() -> new AssertionError("CapabilityStatement has no rest of mode server"));
    }

    /** Every resource type the CapabilityStatement lists. */
    static List<CapabilityStatementRestResourceComponent> declaredTypes() {
        return rest().getResource();
    }

    /** The types that declare this interaction. */
    static List<CapabilityStatementRestResourceComponent> typesDeclaring(TypeRestfulInteraction interaction) {
        return declaredTypes().stream().filter(t -> declares(t, interaction)).toList();
    }

    static Optional<CapabilityStatementRestResourceComponent> declaredType(String type) {
        return declaredTypes().stream().filter(t -> t.getType().equals(type)).findFirst();
    }

    static boolean declares(CapabilityStatementRestResourceComponent type, TypeRestfulInteraction interaction) {
        return type.getInteraction().stream().anyMatch(i -> i.getCode() == interaction);
    }

    static boolean declaresSearchParameter(CapabilityStatementRestResourceComponent type, String name) {
        return type.getSearchParam().stream().anyMatch(p -> p.getName().equals(name));
    }

    /** References of minimal fixtures point at this one newborn; created once per class. */
    static FixtureFactory.Targets basePatient(String patientId) {
        return type -> type.equals("Patient") ? patientId : null;
    }

    /** Creates a newborn with no data beyond an identifier of its own system; returns {@code Patient/id}. */
    static String createBasePatient() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(uniqueSystem()).setValue("base");
        return versionless(client.create().resource(patient).execute().getId());
    }

    static Bundle search(String url) {
        return client.search().byUrl(url).returnBundle(Bundle.class).execute();
    }

    /** {@code Type/id} of the entries of a search page that are matches. */
    static List<String> matches(Bundle bundle) {
        return entries(bundle, SearchEntryMode.MATCH);
    }

    /** {@code Type/id} of the entries of a search page that are includes. */
    static List<String> includes(Bundle bundle) {
        return entries(bundle, SearchEntryMode.INCLUDE);
    }

    private static List<String> entries(Bundle bundle, SearchEntryMode mode) {
        return bundle.getEntry().stream()
                .filter(e -> e.getSearch().getMode() == mode)
                .map(e -> versionless(e.getResource().getIdElement()))
                .toList();
    }

    static String versionless(org.hl7.fhir.instance.model.api.IIdType id) {
        return id.toUnqualifiedVersionless().getValue();
    }

    static String versionless(IBaseResource resource) {
        return versionless(resource.getIdElement());
    }

    /** A system URI unique to one use, so that searches see only what the test made. */
    static String uniqueSystem() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    /** Sends a request the generic client cannot express, validating the FHIR body of the answer. */
    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest built = request.build();
        HttpResponse<String> response = HTTP.send(built, HttpResponse.BodyHandlers.ofString());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (contentType.contains("json") || contentType.contains("xml")) {
            session.validator.validate(built.method() + " " + built.uri().getRawPath(), response.body());
        }
        return response;
    }

    /** A request to {@code path} under the FHIR base URL, e.g. {@code Patient/1}. */
    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(session.baseUrl + "/" + path));
    }

    /**
     * A transaction Bundle under construction: each resource added gets a {@code urn:uuid:}
     * placeholder that other entries can refer to; {@link #commit} returns {@code Type/id} of each.
     */
    static final class Transaction {
        private final Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);

        /** Adds a create of {@code resource}; returns its placeholder. */
        String create(Resource resource) {
            return create(resource, "urn:uuid:" + UUID.randomUUID());
        }

        /** Adds a create of {@code resource} under a placeholder chosen beforehand; returns it. */
        String create(Resource resource, String placeholder) {
            bundle.addEntry().setFullUrl(placeholder).setResource(resource)
                    .getRequest().setMethod(HTTPVerb.POST).setUrl(resource.fhirType());
            return placeholder;
        }

        /** The placeholders of the entries so far, in order. */
        List<String> placeholders() {
            return bundle.getEntry().stream().map(BundleEntryComponent::getFullUrl).toList();
        }

        /** Posts the transaction; {@code Type/id} of every entry, in order. */
        List<String> commit() {
            Bundle response = client.transaction().withBundle(bundle).execute();
            assertThat(response.getEntry()).hasSameSizeAs(bundle.getEntry());
            List<String> ids = new ArrayList<>();
            for (BundleEntryComponent entry : response.getEntry()) {
                assertThat(entry.getResponse().getStatus()).startsWith("201");
                ids.add(new IdType(entry.getResponse().getLocation()).toUnqualifiedVersionless().getValue());
            }
            return ids;
        }
    }
}

package org.newbornregistry.routes.conformance;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every interaction the CapabilityStatement declares for a type works as FHIR R4 defines it, and
 * every one it does not declare is refused with a client-error status and an OperationOutcome: for
 * each type it lists, at system level, and for every R4 type it does not list.
 */
class InteractionConformanceIT extends ConformanceTestSupport {

    private static final String JSON = "application/fhir+json";

    private static String basePatient;

    @BeforeAll
    static void createBasePatientOfTheClass() {
        basePatient = createBasePatient();
    }

    @TestFactory
    Stream<DynamicNode> shouldWorkAsFhirDefinesItWhenAnInteractionIsDeclared() {
        return declaredTypes().stream().map(type -> validatedContainer(type.getType(),
                type.getInteraction().stream().map(i -> DynamicTest.dynamicTest(i.getCode().toCode(), () -> exercise(type, i.getCode())))));
    }

    @TestFactory
    Stream<DynamicNode> shouldRefuseWhenATypeInteractionIsNotDeclared() {
        return declaredTypes().stream().map(type -> validatedContainer(type.getType(),
                Arrays.stream(TypeRestfulInteraction.values())
                        .filter(i -> i != TypeRestfulInteraction.NULL && !declares(type, i))
                        .map(i -> DynamicTest.dynamicTest(i.toCode() + " refused", () -> assertRefused(type, i)))));
    }

    @TestFactory
    Stream<DynamicNode> shouldRefuseWhenASystemInteractionIsNotDeclared() {
        Set<SystemRestfulInteraction> declared = new TreeSet<>();
        rest().getInteraction().forEach(i -> declared.add(i.getCode()));
        return Stream.of(validatedContainer("system", Arrays.stream(SystemRestfulInteraction.values())
                .filter(i -> i != SystemRestfulInteraction.NULL && !declared.contains(i))
                .map(i -> DynamicTest.dynamicTest(i.toCode() + " refused",
                        () -> assertRefused(systemRequest(i), "system " + i.toCode())))));
    }

    /** Types the server does not list: a create, the interaction that could store something, is refused. */
    @TestFactory
    Stream<DynamicNode> shouldRefuseCreateWhenAnR4TypeIsNotDeclared() {
        Set<String> declared = new TreeSet<>(declaredTypes().stream().map(CapabilityStatementRestResourceComponent::getType).toList());
        return Stream.of(validatedContainer("types not declared", new TreeSet<>(session.fhir.getResourceTypes()).stream()
                .filter(type -> !declared.contains(type))
                .map(type -> DynamicTest.dynamicTest("create " + type + " refused", () -> assertRefused(request(type)
                        .header("Content-Type", JSON)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"" + type + "\"}")), "create " + type)))));
    }

    private static void exercise(CapabilityStatementRestResourceComponent type, TypeRestfulInteraction interaction) {
        String name = type.getType();
        boolean creatable = declares(type, TypeRestfulInteraction.CREATE);
        switch (interaction) {
            case CREATE -> {
                MethodOutcome outcome = client.create().resource(minimal(name)).execute();
                assertThat(outcome.getCreated()).isTrue();
                assertThat(outcome.getId().getResourceType()).isEqualTo(name);
                assertThat(outcome.getId().getIdPart()).isNotBlank();
                assertThat(outcome.getId().getVersionIdPart()).isEqualTo("1");
                Resource returned = (Resource) outcome.getResource();
                assertThat(returned).as("the created resource in the response").isNotNull();
                assertThat(returned.getMeta().getVersionId()).isEqualTo("1");
                assertThat(returned.getMeta().getLastUpdated()).isNotNull();
            }
            case READ -> {
                if (creatable) {
                    IdType id = create(name);
                    Resource read = (Resource) client.read().resource(name).withId(id.getIdPart()).execute();
                    assertThat(read.getIdElement().getIdPart()).isEqualTo(id.getIdPart());
                    assertThat(read.getMeta().getVersionId()).isEqualTo("1");
                }
                assertNotFound(() -> client.read().resource(name).withId(unknownId()).execute());
            }
            case VREAD -> {
                if (creatable) {
                    IdType id = create(name);
                    if (declares(type, TypeRestfulInteraction.UPDATE)) {
                        updateLanguage(name, id, "en-US");
                    }
                    Resource first = (Resource) client.read().resource(name).withId(id.withVersion("1")).execute();
                    assertThat(first.getMeta().getVersionId()).isEqualTo("1");
                    assertThat(first.hasLanguage()).as("version 1 as it was created").isFalse();
                    assertNotFound(() -> client.read().resource(name).withId(id.withVersion("99")).execute());
                } else {
                    assertNotFound(() -> client.read().resource(name).withId(new IdType(name, unknownId(), "1")).execute());
                }
            }
            case UPDATE -> {
                IdType id = create(name);
                MethodOutcome updated = updateLanguage(name, id, "en-US");
                assertThat(updated.getId().getIdPart()).isEqualTo(id.getIdPart());
                assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
                assertThat(((Resource) client.read().resource(name).withId(id.getIdPart()).execute()).getLanguage())
                        .isEqualTo("en-US");
                if (type.getUpdateCreate()) {
                    Resource chosen = minimal(name);
                    chosen.setId(new IdType(name, "nbr-conformance-" + UUID.randomUUID()));
                    MethodOutcome created = client.update().resource(chosen).execute();
                    assertThat(created.getCreated()).as("update as create (updateCreate is declared)").isTrue();
                    assertThat(created.getId().getIdPart()).isEqualTo(chosen.getIdElement().getIdPart());
                    assertThat(created.getId().getVersionIdPart()).isEqualTo("1");
                }
            }
            case DELETE -> {
                IdType id = create(name);
                client.delete().resourceById(name, id.getIdPart()).execute();
                assertThrows(ResourceGoneException.class, () -> client.read().resource(name).withId(id.getIdPart()).execute());
            }
            case HISTORYINSTANCE -> {
                IdType id = create(name);
                if (!declares(type, TypeRestfulInteraction.UPDATE)) {
                    Bundle history = client.history().onInstance(id.toUnqualifiedVersionless()).returnBundle(Bundle.class).execute();
                    assertThat(history.getEntry()).extracting(e -> e.getResource().getMeta().getVersionId())
                            .as("the one version of a type that takes no updates").containsExactly("1");
                    return;
                }
                updateLanguage(name, id, "en-US");
                updateLanguage(name, id, "fr-FR");
                Bundle history = client.history().onInstance(id.toUnqualifiedVersionless()).returnBundle(Bundle.class).execute();
                assertThat(history.getType()).isEqualTo(Bundle.BundleType.HISTORY);
                assertThat(history.getEntry()).extracting(e -> e.getResource().getMeta().getVersionId())
                        .as("versions, newest first").containsExactly("3", "2", "1");
                assertThat(history.getEntry()).extracting(e -> e.getRequest().getMethod())
                        .containsExactly(Bundle.HTTPVerb.PUT, Bundle.HTTPVerb.PUT, Bundle.HTTPVerb.POST);
            }
            case HISTORYTYPE -> {
                if (!creatable) {
                    Bundle history = client.history().onType(name).returnBundle(Bundle.class).count(1).execute();
                    assertThat(history.getType()).isEqualTo(Bundle.BundleType.HISTORY);
                    return;
                }
                IdType id = create(name);
                Resource first = (Resource) client.read().resource(name).withId(id.getIdPart()).execute();
                boolean updatable = declares(type, TypeRestfulInteraction.UPDATE);
                if (updatable) {
                    updateLanguage(name, id, "en-US");
                }
                Bundle history = client.history().onType(name).returnBundle(Bundle.class)
                        .since(first.getMeta().getLastUpdated()).count(500).execute();
                assertThat(history.getType()).isEqualTo(Bundle.BundleType.HISTORY);
                assertThat(history.getEntry()).extracting(InteractionConformanceIT::versionOf)
                        .as("versions since the first, newest first")
                        .containsSubsequence(updatable ? List.of(id.getIdPart() + "/2", id.getIdPart() + "/1")
                                : List.of(id.getIdPart() + "/1"));
            }
            case SEARCHTYPE -> {
                if (creatable) {
                    IdType id = create(name);
                    assertThat(matches(search(name + "?_id=" + id.getIdPart()))).containsExactly(name + "/" + id.getIdPart());
                }
                assertThat(search(name + "?_id=" + unknownId()).getEntry()).isEmpty();
            }
            case PATCH -> {
                IdType id = create(name);
                HttpResponse<String> patched = sendUnchecked(request(name + "/" + id.getIdPart())
                        .header("Content-Type", "application/json-patch+json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("[{\"op\":\"add\",\"path\":\"/language\",\"value\":\"en-US\"}]")));
                assertThat(patched.statusCode()).isEqualTo(200);
                assertThat(((Resource) client.read().resource(name).withId(id.getIdPart()).execute()).getLanguage()).isEqualTo("en-US");
            }
            default -> throw new AssertionError("the suite has no test for the interaction " + interaction.toCode());
        }
    }

    private static void assertRefused(CapabilityStatementRestResourceComponent type, TypeRestfulInteraction interaction)
            throws IOException, InterruptedException {
        String name = type.getType();
        // Why: an existing id where the type allows it, so that a 404 cannot stand in for the refusal.
        String id = declares(type, TypeRestfulInteraction.CREATE) ? create(name).getIdPart() : unknownId();
        String body = "{\"resourceType\":\"" + name + "\",\"id\":\"" + id + "\"}";
        HttpRequest.Builder request = switch (interaction) {
            case READ -> request(name + "/" + id).GET();
            case VREAD -> request(name + "/" + id + "/_history/1").GET();
            case UPDATE -> request(name + "/" + id).header("Content-Type", JSON).PUT(HttpRequest.BodyPublishers.ofString(body));
            case PATCH -> request(name + "/" + id).header("Content-Type", "application/json-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("[{\"op\":\"add\",\"path\":\"/language\",\"value\":\"en-US\"}]"));
            case DELETE -> request(name + "/" + id).DELETE();
            case HISTORYINSTANCE -> request(name + "/" + id + "/_history").GET();
            case HISTORYTYPE -> request(name + "/_history").GET();
            case CREATE -> request(name).header("Content-Type", JSON).POST(HttpRequest.BodyPublishers.ofString(body));
            case SEARCHTYPE -> request(name + "?_id=" + id).GET();
            default -> throw new AssertionError("the suite has no request for the interaction " + interaction.toCode());
        };
        assertRefused(request, interaction.toCode() + " " + name);
        if (declares(type, TypeRestfulInteraction.CREATE)) {
            Resource current = (Resource) client.read().resource(name).withId(id).execute();
            assertThat(current.getMeta().getVersionId()).as("%s left untouched by the refused %s", name, interaction.toCode())
                    .isEqualTo("1");
        }
    }

    private static void assertRefused(HttpRequest.Builder request, String what) throws IOException, InterruptedException {
        HttpResponse<String> response = sendUnchecked(request.header("Accept", JSON));
        assertThat(response.statusCode()).as("status of the undeclared %s", what).isIn(400, 404, 405, 501);
        OperationOutcome outcome = session.fhir.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssue()).as("issues of the OperationOutcome refusing %s", what)
                .anyMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                        || i.getSeverity() == OperationOutcome.IssueSeverity.FATAL);
    }

    private static HttpRequest.Builder systemRequest(SystemRestfulInteraction interaction) {
        return switch (interaction) {
            case SEARCHSYSTEM -> request("?_id=x").GET();
            case HISTORYSYSTEM -> request("_history").GET();
            case TRANSACTION, BATCH -> request("").header("Content-Type", JSON).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"resourceType\":\"Bundle\",\"type\":\"" + interaction.toCode() + "\"}"));
            default -> throw new AssertionError("the suite has no request for the interaction " + interaction.toCode());
        };
    }

    private static HttpResponse<String> sendUnchecked(HttpRequest.Builder request) {
        try {
            return send(request);
        } catch (IOException e) {
            throw new AssertionError("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Resource minimal(String type) {
        return fixtures.minimal(type, basePatient(basePatient));
    }

    private static IdType create(String type) {
        return (IdType) client.create().resource(minimal(type)).execute().getId();
    }

    private static MethodOutcome updateLanguage(String type, IdType id, String language) {
        Resource current = (Resource) client.read().resource(type).withId(id.getIdPart()).execute();
        current.setLanguage(language);
        return client.update().resource(current).execute();
    }

    private static void assertNotFound(org.junit.jupiter.api.function.Executable read) {
        ResourceNotFoundException notFound = assertThrows(ResourceNotFoundException.class, read);
        assertThat(notFound.getOperationOutcome()).as("OperationOutcome of the 404").isNotNull();
    }

    private static String versionOf(BundleEntryComponent entry) {
        IdType id = new IdType(entry.getFullUrl());
        return id.getIdPart() + "/" + (entry.hasResource() ? entry.getResource().getMeta().getVersionId() : "deleted");
    }

    private static String unknownId() {
        return "nbr-absent-" + UUID.randomUUID();
    }
}

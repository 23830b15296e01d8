package org.newbornregistry.routes.conformance;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ConditionalDeleteStatus;
import org.hl7.fhir.r4.model.CapabilityStatement.ConditionalReadStatus;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceVersionPolicy;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The conditional and versioned behaviour each type declares: conditional create ({@code If-None-Exist})
 * stores one resource however often it is sent; conditional update creates, then updates, and
 * answers 412 when its criteria match several; conditional delete; 412 for a stale {@code If-Match};
 * 409 for a second resource with a business identifier already taken; 304 for a read whose
 * {@code If-None-Match} or {@code If-Modified-Since} says the client has the current version, and
 * a {@code conditionalRead} declaration that says so.
 *
 * <p>Resources are told apart by an identifier where the type has one, else by a tag.
 */
class ConditionalConformanceIT extends ConformanceTestSupport {

    private static String basePatient;

    @BeforeAll
    static void createBasePatientOfTheClass() {
        basePatient = createBasePatient();
    }

    @TestFactory
    Stream<DynamicNode> shouldBehaveAsDeclaredWhenWritingOrReadingConditionally() {
        return typesDeclaring(TypeRestfulInteraction.CREATE).stream()
                .map(type -> validatedContainer(type.getType(), testsOf(type).stream()));
    }

    private static List<DynamicTest> testsOf(CapabilityStatementRestResourceComponent type) {
        String name = type.getType();
        List<DynamicTest> tests = new ArrayList<>();
        if (type.getConditionalCreate()) {
            tests.add(DynamicTest.dynamicTest("conditional create stores one resource", () -> conditionalCreate(name)));
        }
        if (type.getConditionalUpdate()) {
            tests.add(DynamicTest.dynamicTest("conditional update creates, then updates", () -> conditionalUpdate(name)));
            tests.add(DynamicTest.dynamicTest("conditional update matching several: 412", () -> conditionalUpdateOfSeveral(name)));
        }
        if (type.hasConditionalDelete() && type.getConditionalDelete() != ConditionalDeleteStatus.NOTSUPPORTED) {
            tests.add(DynamicTest.dynamicTest("conditional delete (" + type.getConditionalDelete().toCode() + ")",
                    () -> conditionalDelete(name, type.getConditionalDelete())));
        }
        if (type.getVersioning() == ResourceVersionPolicy.VERSIONEDUPDATE && declares(type, TypeRestfulInteraction.UPDATE)) {
            tests.add(DynamicTest.dynamicTest("update with a stale If-Match: 412", () -> staleIfMatch(name)));
        }
        if (usesIdentifier(type)) {
            tests.add(DynamicTest.dynamicTest("second resource with a taken identifier: 409", () -> takenIdentifier(name)));
        }
        if (declares(type, TypeRestfulInteraction.READ)) {
            tests.add(DynamicTest.dynamicTest("read with If-None-Match: 304", () -> ifNoneMatch(type)));
            tests.add(DynamicTest.dynamicTest("read with If-Modified-Since: 304", () -> ifModifiedSince(type)));
        }
        return tests;
    }

    private static void conditionalCreate(String type) {
        Key key = Key.of(declaredType(type).orElseThrow());
        String system = uniqueSystem();

        MethodOutcome first = client.create().resource(key.resource(type, system, "one")).conditionalByUrl(key.criteria(type, system, "one")).execute();
        MethodOutcome again = client.create().resource(key.resource(type, system, "one")).conditionalByUrl(key.criteria(type, system, "one")).execute();

        assertThat(first.getCreated()).as("first conditional create: 201").isTrue();
        assertThat(again.getCreated()).as("second conditional create: 200, nothing created").isNotEqualTo(Boolean.TRUE);
        assertThat(again.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
        assertThat(matches(search(key.criteria(type, system, "one")))).containsExactly(type + "/" + first.getId().getIdPart());
    }

    private static void conditionalUpdate(String type) {
        Key key = Key.of(declaredType(type).orElseThrow());
        String system = uniqueSystem();
        String criteria = key.criteria(type, system, "one");

        MethodOutcome created = client.update().resource(key.resource(type, system, "one")).conditionalByUrl(criteria).execute();
        Resource changed = key.resource(type, system, "one").setLanguage("en-US");
        MethodOutcome updated = client.update().resource(changed).conditionalByUrl(criteria).execute();

        assertThat(created.getCreated()).as("conditional update matching nothing creates").isTrue();
        assertThat(updated.getCreated()).as("conditional update matching one updates it").isNotEqualTo(Boolean.TRUE);
        assertThat(updated.getId().getIdPart()).isEqualTo(created.getId().getIdPart());
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
        assertThat(matches(search(criteria))).hasSize(1);
    }

    private static void conditionalUpdateOfSeveral(String type) {
        String system = uniqueSystem();
        IdType first = create(tagged(type, system, "shared"));
        IdType second = create(tagged(type, system, "shared"));

        PreconditionFailedException refused = assertThrows(PreconditionFailedException.class, () -> client.update()
                .resource(tagged(type, system, "shared")).conditionalByUrl(type + "?_tag=" + system + "|shared").execute());

        assertThat(refused.getOperationOutcome()).isNotNull();
        assertThat(versionOf(type, first)).isEqualTo("1");
        assertThat(versionOf(type, second)).isEqualTo("1");
    }

    private static void conditionalDelete(String type, ConditionalDeleteStatus declared) {
        String system = uniqueSystem();
        IdType single = create(tagged(type, system, "single"));
        client.delete().resourceConditionalByUrl(type + "?_tag=" + system + "|single").execute();
        assertThrows(ResourceGoneException.class, () -> client.read().resource(type).withId(single.getIdPart()).execute());

        IdType first = create(tagged(type, system, "shared"));
        IdType second = create(tagged(type, system, "shared"));
        String criteria = type + "?_tag=" + system + "|shared";
        if (declared == ConditionalDeleteStatus.SINGLE) {
            assertThrows(PreconditionFailedException.class, () -> client.delete().resourceConditionalByUrl(criteria).execute());
            assertThat(matches(search(criteria))).containsExactlyInAnyOrder(versionless(first), versionless(second));
        } else {
            client.delete().resourceConditionalByUrl(criteria).execute();
            assertThat(matches(search(criteria))).isEmpty();
        }
    }

    private static void staleIfMatch(String type) {
        IdType id = create(fixtures.minimal(type, basePatient(basePatient)));
        Resource current = read(type, id);
        client.update().resource(current.copy().setLanguage("en-US")).withId(id.withVersion("1")).execute();
        Resource stale = current.copy().setLanguage("fr-FR");

        PreconditionFailedException refused = assertThrows(PreconditionFailedException.class,
                () -> client.update().resource(stale).withId(id.withVersion("1")).execute());

        assertThat(refused.getOperationOutcome()).isNotNull();
        Resource after = read(type, id);
        assertThat(after.getMeta().getVersionId()).isEqualTo("2");
        assertThat(after.getLanguage()).isEqualTo("en-US");
    }

    private static void takenIdentifier(String type) {
        Key key = Key.IDENTIFIER;
        String system = uniqueSystem();
        IdType first = create(key.resource(type, system, "taken"));

        ResourceVersionConflictException refused = assertThrows(ResourceVersionConflictException.class,
                () -> client.create().resource(key.resource(type, system, "taken")).execute());

        assertThat(refused.getOperationOutcome()).isNotNull();
        assertThat(matches(search(key.criteria(type, system, "taken")))).containsExactly(versionless(first));
    }

    private static void ifNoneMatch(CapabilityStatementRestResourceComponent type) throws IOException, InterruptedException {
        String path = type.getType() + "/" + create(fixtures.minimal(type.getType(), basePatient(basePatient))).getIdPart();
        HttpResponse<String> read = send(request(path).GET());
        String etag = read.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("read without ETag"));

        HttpResponse<String> current = send(request(path).header("If-None-Match", etag).GET());
        HttpResponse<String> stale = send(request(path).header("If-None-Match", "W/\"0\"").GET());

        assertThat(etag).isEqualTo("W/\"1\"");
        assertThat(current.statusCode()).isEqualTo(304);
        assertThat(current.body()).isEmpty();
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(type.getConditionalRead()).as("conditionalRead declared for %s, whose reads answer If-None-Match", type.getType())
                .isIn(ConditionalReadStatus.NOTMATCH, ConditionalReadStatus.FULLSUPPORT);
    }

    private static void ifModifiedSince(CapabilityStatementRestResourceComponent type) throws IOException, InterruptedException {
        String path = type.getType() + "/" + create(fixtures.minimal(type.getType(), basePatient(basePatient))).getIdPart();
        HttpResponse<String> read = send(request(path).GET());
        String lastModified = read.headers().firstValue("Last-Modified").orElseThrow(() -> new AssertionError("read without Last-Modified"));
        String dayBefore = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME).minusDays(1));

        HttpResponse<String> unchanged = send(request(path).header("If-Modified-Since", lastModified).GET());
        HttpResponse<String> changed = send(request(path).header("If-Modified-Since", dayBefore).GET());

        assertThat(unchanged.statusCode()).as("If-Modified-Since with the Last-Modified of the read").isEqualTo(304);
        assertThat(changed.statusCode()).as("If-Modified-Since a day before").isEqualTo(200);
        assertThat(type.getConditionalRead()).as("conditionalRead declared for %s, whose reads answer If-Modified-Since", type.getType())
                .isIn(ConditionalReadStatus.MODIFIEDSINCE, ConditionalReadStatus.FULLSUPPORT);
    }

    /** How resources of a type are told apart: a business identifier where the type has one, else a tag. */
    private enum Key {
        IDENTIFIER, TAG;

        static Key of(CapabilityStatementRestResourceComponent type) {
            return usesIdentifier(type) ? IDENTIFIER : TAG;
        }

        Resource resource(String type, String system, String value) {
            if (this == TAG) {
                return tagged(type, system, value);
            }
            Resource resource = fixtures.minimal(type, basePatient(basePatient));
            session.fhir.newTerser().<Identifier>addElement(resource, "identifier").setSystem(system).setValue(value);
            return resource;
        }

        String criteria(String type, String system, String value) {
            return type + "?" + (this == TAG ? "_tag" : "identifier") + "=" + system + "|" + value;
        }
    }

    private static boolean usesIdentifier(CapabilityStatementRestResourceComponent type) {
        var child = session.fhir.getResourceDefinition(type.getType()).getChildByName("identifier");
        return declaresSearchParameter(type, "identifier") && child != null
                && child.getChildByName("identifier").getImplementingClass() == Identifier.class;
    }

    private static Resource tagged(String type, String system, String code) {
        Resource resource = fixtures.minimal(type, basePatient(basePatient));
        resource.getMeta().addTag().setSystem(system).setCode(code);
        return resource;
    }

    private static IdType create(Resource resource) {
        return (IdType) client.create().resource(resource).execute().getId();
    }

    private static Resource read(String type, IdType id) {
        return (Resource) client.read().resource(type).withId(id.getIdPart()).execute();
    }

    private static String versionOf(String type, IdType id) {
        return read(type, id).getMeta().getVersionId();
    }
}

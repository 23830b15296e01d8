package org.newbornregistry.routes.conformance;

import ca.uhn.fhir.util.ResourceReferenceInfo;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every search parameter, {@code _include} and {@code _revinclude} the CapabilityStatement declares
 * finds what it should and nothing else. For each parameter, {@link FixtureFactory} builds from the
 * parameter's definition two resources that differ only in the element it reads; a search for the
 * one's value, limited by {@code _id} to the pair, must return that one alone. A parameter that can
 * only point at types the server does not hold must still be accepted, and find nothing.
 *
 * <p>All fixtures are created once for the class, one transaction per type.
 */
class SearchParameterConformanceIT extends ConformanceTestSupport {

    private static String basePatient;
    /** Per type, two resources that reference parameters point at: A from matches, B from misses. */
    private static final Map<String, String> TARGETS_A = new HashMap<>();
    private static final Map<String, String> TARGETS_B = new HashMap<>();
    /** Per type, a resource created after A, for {@code _lastUpdated}. */
    private static final Map<String, String> LATER = new HashMap<>();
    private static final Map<String, Pair> PAIRS = new LinkedHashMap<>();
    /** Per {@code Type S:param}, the resource of Type that a resource of S refers to, and that referrer. */
    private static final Map<String, String> REVINCLUDE_TARGETS = new HashMap<>();
    private static final Map<String, String> REFERRERS = new HashMap<>();

    /** What one parameter is tested with: {@code Type/id} of the match and the miss, or why it cannot match. */
    private record Pair(DeclaredSearchParameter parameter, String match, String miss, String value, String unexercisable) {
    }

    @BeforeAll
    static void createFixtures() {
        basePatient = createBasePatient();
        List<String> types = fixtureTypes().stream().map(CapabilityStatementRestResourceComponent::getType).toList();

        Transaction anchors = new Transaction();
        for (String type : types) {
            anchors.create(fixtures.minimal(type, basePatient(basePatient)));
            anchors.create(fixtures.minimal(type, basePatient(basePatient)));
        }
        List<String> ids = anchors.commit();
        int i = 0;
        for (String type : types) {
            TARGETS_A.put(type, ids.get(i++));
            TARGETS_B.put(type, ids.get(i++));
        }

        FixtureFactory.Targets others = type -> type.equals("Patient") ? basePatient : TARGETS_A.get(type);
        for (CapabilityStatementRestResourceComponent declared : fixtureTypes()) {
            createFixturesOf(declared, others);
        }
        session.validator.assertAllValid();
    }

    private static void createFixturesOf(CapabilityStatementRestResourceComponent declared, FixtureFactory.Targets others) {
        String type = declared.getType();
        Transaction transaction = new Transaction();
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(transaction.create(fixtures.minimal(type, others)), "later " + type);
        List<Pair> pairs = new ArrayList<>();
        for (DeclaredSearchParameter parameter : parameters(declared)) {
            if (parameter.name().equals("_id") || parameter.name().equals("_lastUpdated")) {
                continue;
            }
            FixtureFactory.ParameterFixture fixture = fixtures.pair(parameter, others, TARGETS_A::get, TARGETS_B::get);
            if (!fixture.exercisable()) {
                pairs.add(new Pair(parameter, null, null, null, fixture.unexercisable()));
                continue;
            }
            String match = transaction.create(fixture.match());
            String miss = transaction.create(fixture.miss());
            pairs.add(new Pair(parameter, match, miss, fixture.value(), null));
        }
        for (StringType revinclude : declared.getSearchRevInclude()) {
            Optional<DeclaredSearchParameter> parameter = includeParameter(revinclude.getValue());
            if (parameter.isEmpty() || declaredType(parameter.get().type()).filter(t -> declares(t, TypeRestfulInteraction.CREATE)).isEmpty()) {
                continue;
            }
            String target = "urn:uuid:" + UUID.randomUUID();
            Optional<Resource> referrer = fixtures.referrer(parameter.get(), type, target, others);
            if (referrer.isPresent()) {
                keys.put(transaction.create(fixtures.minimal(type, others), target), "target " + type + " " + revinclude.getValue());
                keys.put(transaction.create(referrer.get()), "referrer " + type + " " + revinclude.getValue());
            }
        }
        Map<String, String> created = new HashMap<>();
        List<String> placeholders = transaction.placeholders();
        List<String> ids = transaction.commit();
        for (int i = 0; i < ids.size(); i++) {
            created.put(placeholders.get(i), ids.get(i));
        }
        keys.forEach((placeholder, key) -> {
            if (key.startsWith("later ")) {
                LATER.put(type, created.get(placeholder));
            } else if (key.startsWith("target ")) {
                REVINCLUDE_TARGETS.put(key.substring("target ".length()), created.get(placeholder));
            } else {
                REFERRERS.put(key.substring("referrer ".length()), created.get(placeholder));
            }
        });
        for (Pair pair : pairs) {
            PAIRS.put(key(pair.parameter()), pair.unexercisable() != null ? pair
                    : new Pair(pair.parameter(), created.get(pair.match()), created.get(pair.miss()), pair.value(), null));
        }
    }

    @TestFactory
    Stream<DynamicNode> shouldFindTheMatchAndNotTheMissWhenSearchingByADeclaredParameter() {
        return typesDeclaring(TypeRestfulInteraction.SEARCHTYPE).stream().map(declared -> validatedContainer(declared.getType(),
                parameters(declared).stream().map(parameter -> DynamicTest.dynamicTest(parameter.toString(), () -> {
                    if (!TARGETS_A.containsKey(parameter.type())) {
                        assertAccepted(parameter.type() + "?" + parameter.name() + "=" + fixtures.absentValue(parameter));
                        return;
                    }
                    switch (parameter.name()) {
                        case "_id" -> assertIdFindsOnlyItsResource(parameter.type());
                        case "_lastUpdated" -> assertLastUpdatedSeparatesOlderFromNewer(parameter.type());
                        default -> assertFindsMatchNotMiss(PAIRS.get(key(parameter)));
                    }
                }))));
    }

    @TestFactory
    Stream<DynamicNode> shouldAddWhatTheMatchReferencesAndNothingElseWhenADeclaredIncludeIsAsked() {
        return typesDeclaring(TypeRestfulInteraction.SEARCHTYPE).stream().map(declared -> validatedContainer(declared.getType(),
                declared.getSearchInclude().stream().map(include -> DynamicTest.dynamicTest("_include=" + include.getValue(),
                        () -> assertIncludes(declared.getType(), include.getValue())))));
    }

    @TestFactory
    Stream<DynamicNode> shouldAddTheReferrerAndNothingElseWhenADeclaredRevIncludeIsAsked() {
        return typesDeclaring(TypeRestfulInteraction.SEARCHTYPE).stream().map(declared -> validatedContainer(declared.getType(),
                declared.getSearchRevInclude().stream().map(revinclude -> DynamicTest.dynamicTest("_revinclude=" + revinclude.getValue(),
                        () -> assertRevIncludes(declared.getType(), revinclude.getValue())))));
    }

    private static void assertIdFindsOnlyItsResource(String type) {
        String a = TARGETS_A.get(type);
        assertThat(matches(search(type + "?_id=" + idPart(a)))).containsExactly(a);
    }

    private static void assertLastUpdatedSeparatesOlderFromNewer(String type) {
        String older = TARGETS_A.get(type);
        String newer = LATER.get(type);
        Instant newerUpdated = client.read().resource(type).withId(idPart(newer)).execute().getMeta().getLastUpdated().toInstant();
        String pair = "&_id=" + idPart(older) + "," + idPart(newer);

        assertThat(matches(search(type + "?_lastUpdated=ge" + newerUpdated + pair))).containsExactly(newer);
        assertThat(matches(search(type + "?_lastUpdated=lt" + newerUpdated + pair))).containsExactly(older);
    }

    private static void assertFindsMatchNotMiss(Pair pair) {
        String type = pair.parameter().type();
        String name = pair.parameter().name();
        if (pair.unexercisable() != null) {
            String scope = "&_id=" + idPart(TARGETS_A.get(type)) + "," + idPart(TARGETS_B.get(type));
            assertThat(matches(search(type + "?" + name + "=" + fixtures.absentValue(pair.parameter()) + scope)))
                    .as("%s cannot match anything the server stores: %s", pair.parameter(), pair.unexercisable())
                    .isEmpty();
            return;
        }
        String scope = "&_id=" + idPart(pair.match()) + "," + idPart(pair.miss());
        assertThat(matches(search(type + "?" + name + "=" + pair.value() + scope)))
                .as("%s=%s among its match and miss", pair.parameter(), pair.value())
                .containsExactly(pair.match());
    }

    /** A type the suite cannot create resources of: the search is at least accepted. */
    private static void assertAccepted(String url) {
        assertThat(search(url).getType()).as(url).isEqualTo(Bundle.BundleType.SEARCHSET);
    }

    private static void assertIncludes(String type, String include) {
        if (!TARGETS_A.containsKey(type)) {
            assertAccepted(type + "?_include=" + include);
            return;
        }
        if (include.equals("*")) {
            String resource = PAIRS.values().stream()
                    .filter(p -> p.parameter().type().equals(type) && p.match() != null)
                    .filter(p -> p.parameter().kind() == org.hl7.fhir.r4.model.Enumerations.SearchParamType.REFERENCE)
                    .map(Pair::match).findFirst().orElse(TARGETS_A.get(type));
            Bundle page = search(type + "?_id=" + idPart(resource) + "&_include=*");
            assertThat(matches(page)).containsExactly(resource);
            assertThat(includes(page)).containsExactlyInAnyOrderElementsOf(localReferences(resource));
            return;
        }
        Optional<DeclaredSearchParameter> parameter = includeParameter(include);
        Pair pair = parameter.filter(p -> p.type().equals(type)).map(p -> PAIRS.get(key(p))).orElse(null);
        if (pair == null || pair.match() == null) {
            String anchor = TARGETS_A.get(type);
            Bundle page = search(type + "?_id=" + idPart(anchor) + "&_include=" + include);
            assertThat(matches(page)).containsExactly(anchor);
            assertThat(includes(page)).as("%s can point at nothing the server stores", include).isEmpty();
            return;
        }
        Bundle page = search(type + "?_id=" + idPart(pair.match()) + "&_include=" + include);
        assertThat(matches(page)).containsExactly(pair.match());
        if (pair.value().contains("://")) {
            assertThat(includes(page)).as("%s points at a canonical URL, not at a resource here", include).isEmpty();
        } else {
            assertThat(includes(page)).containsExactly(pair.value());
        }
    }

    private static void assertRevIncludes(String type, String revinclude) {
        if (!TARGETS_A.containsKey(type)) {
            assertAccepted(type + "?_revinclude=" + revinclude);
            return;
        }
        String key = type + " " + revinclude;
        if (!REFERRERS.containsKey(key)) {
            String anchor = TARGETS_A.get(type);
            Bundle page = search(type + "?_id=" + idPart(anchor) + "&_revinclude=" + revinclude);
            assertThat(matches(page)).containsExactly(anchor);
            return;
        }
        String target = REVINCLUDE_TARGETS.get(key);
        Bundle page = search(type + "?_id=" + idPart(target) + "&_revinclude=" + revinclude);
        assertThat(matches(page)).containsExactly(target);
        assertThat(includes(page)).containsExactly(REFERRERS.get(key));
    }

    /** {@code Type/id} of every resource the stored resource refers to on this server. */
    private static List<String> localReferences(String resource) {
        IBaseResource stored = client.read().resource(resource.substring(0, resource.indexOf('/'))).withId(idPart(resource)).execute();
        return session.fhir.newTerser().getAllResourceReferences(stored).stream()
                .map(ResourceReferenceInfo::getResourceReference)
                .map(reference -> reference.getReferenceElement().toUnqualifiedVersionless().getValue())
                .distinct().toList();
    }

    /** The types the suite makes fixtures of: those it can both search and create. */
    private static List<CapabilityStatementRestResourceComponent> fixtureTypes() {
        return typesDeclaring(TypeRestfulInteraction.SEARCHTYPE).stream()
                .filter(t -> declares(t, TypeRestfulInteraction.CREATE)).toList();
    }

    private static List<DeclaredSearchParameter> parameters(CapabilityStatementRestResourceComponent declared) {
        List<DeclaredSearchParameter> parameters = new ArrayList<>();
        for (CapabilityStatementRestResourceSearchParamComponent param : declared.getSearchParam()) {
            parameters.add(DeclaredSearchParameter.resolve(declared.getType(), param, session.validator.support(), session.fhir));
        }
        return parameters;
    }

    /** The parameter an include value such as {@code Observation:subject} names, if the server declares it. */
    private static Optional<DeclaredSearchParameter> includeParameter(String include) {
        String[] parts = include.split(":");
        if (parts.length < 2) {
            return Optional.empty();
        }
        return declaredType(parts[0]).flatMap(t -> t.getSearchParam().stream()
                .filter(p -> p.getName().equals(parts[1])).findFirst()
                .map(p -> DeclaredSearchParameter.resolve(parts[0], p, session.validator.support(), session.fhir)));
    }

    private static String key(DeclaredSearchParameter parameter) {
        return parameter.type() + "?" + parameter.name();
    }

    private static String idPart(String typeAndId) {
        return typeAndId.substring(typeAndId.indexOf('/') + 1);
    }
}

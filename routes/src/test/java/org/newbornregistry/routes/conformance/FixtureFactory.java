package org.newbornregistry.routes.conformance;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildChoiceDefinition;
import ca.uhn.fhir.context.RuntimeChildPrimitiveEnumerationDatatypeDefinition;
import ca.uhn.fhir.context.RuntimeChildResourceDefinition;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.EnumFactory;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MarkdownType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.newbornregistry.conformance.NbrCanonical;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the suite's resources from definitions rather than by hand: a minimal valid instance of
 * each declared type (its required elements filled from the R4 model), and, for a search
 * parameter, a pair of instances that differ only in the element the parameter's FHIRPath
 * expression names, one that the search must find and one that it must not, with the value to
 * search for. All codes and identifiers use one system unique to the run; strings are random
 * letters of one length, so that no value is a prefix of another.
 *
 * <p>Expressions are read as simple paths with {@code as Type}, {@code .where(system='x')} and
 * {@code .where(resolve() is Type)}; the few R4 expressions outside that are rewritten in
 * {@link #SIMPLER_EXPRESSIONS}. A parameter whose value can only point at types the registry
 * does not hold cannot match anything it stores; {@link #pair} says so instead of building it.
 */
final class FixtureFactory {

    /** Equivalent simple paths for R4 expressions that are not plain paths, by {@code Type:name}. */
    private static final Map<String, String> SIMPLER_EXPRESSIONS = Map.of(
            // Why: "Patient.deceased.exists() and Patient.deceased != false" holds exactly for deceasedBoolean=true.
            "Patient:deceased", "(Patient.deceased as boolean)");

    /** Codes from a value set that the validator checks offline: BCP-47 languages. */
    private static final String LANGUAGES = "http://hl7.org/fhir/ValueSet/languages";
    private static final String BCP47 = "urn:ietf:bcp:47";
    private static final List<String> LANGUAGE_CODES = List.of("en-US", "fr-FR", "de-DE", "nl-NL", "es-ES", "it-IT");

    /** Preferred datatype of a choice element ({@code effective[x]}) for each kind of parameter. */
    private static final Map<SearchParamType, List<String>> CHOICE_PREFERENCE = Map.of(
            SearchParamType.DATE, List.of("DateTime", "Date", "Instant", "Period"),
            SearchParamType.REFERENCE, List.of("Reference"),
            SearchParamType.TOKEN, List.of("CodeableConcept", "Coding", "Boolean", "Identifier", "Code", "String"),
            SearchParamType.STRING, List.of("String", "Markdown"),
            SearchParamType.URI, List.of("Uri", "Url", "Canonical"));

    private static final Pattern WHERE = Pattern.compile("^(.*)\\.where\\((.*)\\)$");
    private static final Pattern WHERE_EQUALS = Pattern.compile("^(\\w+)\\s*=\\s*'([^']*)'$");
    private static final Pattern WHERE_RESOLVES_TO = Pattern.compile("^resolve\\(\\)\\s+is\\s+(\\w+)$");

    private final FhirContext fhir;
    private final String system;
    private final Set<String> registryTypes;
    private final String seedPrefix;
    private int seeds;
    private int days;

    /**
     * @param fhir          the suite's R4 context
     * @param system        code and identifier system unique to this run ({@code urn:uuid:...})
     * @param registryTypes the types the server declares, in the order it declares them; references point only at these
     */
    /**
     * Search parameters over an element a registry profile fixes for every resource of the type, so
     * that no two stored resources can differ in it, and why.
     */
    private static final Map<String, String> FIXED_BY_REGISTRY_PROFILE = Map.of(
            "Consent.scope", "nbr-consent fixes every Consent's scope to patient-privacy");

    FixtureFactory(FhirContext fhir, String system, Collection<String> registryTypes) {
        this.fhir = fhir;
        this.system = system;
        this.registryTypes = new LinkedHashSet<>(registryTypes);
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            prefix.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        this.seedPrefix = prefix.toString();
    }

    /** Where the fixtures' references point: existing resources of the registry, by type. */
    interface Targets {
        /** A reference ({@code Type/id} or a transaction's {@code urn:uuid:}) to a resource of this type, or null. */
        String to(String type);
    }

    /**
     * What a search parameter is tested with: two resources and the value that finds {@code match}
     * but not {@code miss}; or, when the parameter can only point at types the registry does not
     * hold, no resources and why.
     */
    record ParameterFixture(Resource match, Resource miss, String value, String unexercisable) {
        boolean exercisable() {
            return unexercisable == null;
        }
    }

    /** A valid instance of the type with only its required elements; references go to {@code targets}. */
    Resource minimal(String type, Targets targets) {
        Resource resource = (Resource) fhir.getResourceDefinition(type).newInstance();
        fillRequired(resource, targets);
        if (resource instanceof Organization organization) {
            // org-1: an organization has at least a name or an identifier.
            organization.setName(seed());
        } else if (resource instanceof Consent consent) {
            // ppc-1: a consent names a policy or a policy rule.
            consent.addPolicy().setUri("http://example.org/fhir/policy/" + seed());
            // Why: the registry holds every Consent to its RegistryConsent profile (nbr-consent).
            registryConsent(consent, targets);
        }
        return resource;
    }

    /**
     * What the registry's {@code nbr-consent} profile adds to R4: the patient-privacy scope, the
     * newborn, a parent as performer, when it was given, and a permit for one of the registry's
     * purposes over a period.
     */
    private static void registryConsent(Consent consent, Targets targets) {
        consent.setScope(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/consentscope",
                "patient-privacy", null)));
        consent.setDateTimeElement(DateTimeType.now());
        Optional.ofNullable(targets.to("Patient")).ifPresent(patient -> consent.getPatient().setReference(patient));
        Optional.ofNullable(Optional.ofNullable(targets.to("RelatedPerson")).orElse(targets.to("Patient")))
                .ifPresent(performer -> consent.addPerformer().setReference(performer));
        Consent.ProvisionComponent root = consent.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        root.getPeriod().setStartElement(DateTimeType.now());
        root.addProvision().setType(Consent.ConsentProvisionType.PERMIT)
                .addPurpose(new Coding(NbrCanonical.REGISTRY_PURPOSE_SYSTEM, "screening", null));
    }

    /**
     * The two resources for a declared search parameter. For a reference parameter, the match points
     * at a resource of {@code matchTargets} and the miss at one of {@code missTargets}; the other
     * references both need point at {@code otherTargets}.
     */
    ParameterFixture pair(DeclaredSearchParameter parameter, Targets otherTargets, Targets matchTargets,
                          Targets missTargets) {
        String fixed = FIXED_BY_REGISTRY_PROFILE.get(parameter.type() + "." + parameter.name());
        if (fixed != null) {
            return new ParameterFixture(null, null, null, fixed);
        }
        ElementPath path = pathOf(parameter);
        Optional<String> unreachable = path.unreachableTargets(parameter.kind());
        if (unreachable.isPresent()) {
            return new ParameterFixture(null, null, null, unreachable.get());
        }
        Resource match = minimal(parameter.type(), otherTargets);
        Resource miss = minimal(parameter.type(), otherTargets);
        String value = path.set(match, parameter.kind(), Variant.MATCH, matchTargets);
        path.set(miss, parameter.kind(), Variant.MISS, missTargets);
        fillRequired(match, otherTargets);
        fillRequired(miss, otherTargets);
        return new ParameterFixture(match, miss, value, null);
    }

    /**
     * A resource of the parameter's type whose parameter element is the reference {@code reference}
     * to a resource of {@code targetType}, as {@code _revinclude} follows it; empty if the element
     * cannot point at that type.
     */
    Optional<Resource> referrer(DeclaredSearchParameter parameter, String targetType, String reference, Targets targets) {
        ElementPath path = pathOf(parameter);
        if (parameter.kind() != SearchParamType.REFERENCE || !path.allowsTarget(targetType)) {
            return Optional.empty();
        }
        Resource resource = minimal(parameter.type(), targets);
        path.set(resource, parameter.kind(), Variant.MATCH, type -> type.equals(targetType) ? reference : null);
        fillRequired(resource, targets);
        return Optional.of(resource);
    }

    /** The first allowed target type of a reference parameter that the registry holds, if any. */
    Optional<String> targetType(DeclaredSearchParameter parameter) {
        return pathOf(parameter).registryTargets().stream().findFirst();
    }

    /** A value of the parameter's kind that no fixture has, for searches that must find nothing. */
    String absentValue(DeclaredSearchParameter parameter) {
        return switch (parameter.kind()) {
            case DATE -> "1800-01-01";
            case REFERENCE -> referenceTargets(parameter).stream().findFirst().orElse("Patient") + "/" + seed();
            case URI -> "http://example.org/fhir/absent/" + seed();
            case TOKEN -> system + "|" + seed();
            default -> seed();
        };
    }

    private List<String> referenceTargets(DeclaredSearchParameter parameter) {
        try {
            return pathOf(parameter).allTargets();
        } catch (IllegalStateException e) {
            return List.of();
        }
    }

    private ElementPath pathOf(DeclaredSearchParameter parameter) {
        String simpler = SIMPLER_EXPRESSIONS.get(parameter.type() + ":" + parameter.name());
        List<String> expressions = simpler != null ? List.of(simpler) : parameter.expressions();
        List<String> refused = new ArrayList<>();
        for (String expression : expressions) {
            try {
                return compile(parameter.type(), expression);
            } catch (IllegalArgumentException e) {
                refused.add(e.getMessage());
            }
        }
        throw new IllegalStateException("No fixture for " + parameter + ": " + (refused.isEmpty()
                ? "its definition has no expression" : String.join("; ", refused))
                + ". Add a simpler equivalent path to FixtureFactory.SIMPLER_EXPRESSIONS.");
    }

    private ElementPath compile(String type, String expression) {
        String path = expression.strip();
        String suffix = "";
        if (path.startsWith("(")) {
            int close = path.lastIndexOf(')');
            suffix = path.substring(close + 1);
            path = path.substring(1, close).strip();
        }
        String cast = null;
        int as = path.indexOf(" as ");
        if (as > 0) {
            cast = path.substring(as + 4).strip();
            path = path.substring(0, as).strip();
        }
        String fixedChild = null;
        String fixedValue = null;
        String resolvesTo = null;
        Matcher where = WHERE.matcher(path);
        if (where.matches()) {
            path = where.group(1);
            Matcher equals = WHERE_EQUALS.matcher(where.group(2).strip());
            Matcher resolves = WHERE_RESOLVES_TO.matcher(where.group(2).strip());
            if (equals.matches()) {
                fixedChild = equals.group(1);
                fixedValue = equals.group(2);
            } else if (resolves.matches()) {
                resolvesTo = resolves.group(1);
            } else {
                throw new IllegalArgumentException("'" + expression + "' filters with where() in a way the suite does not read");
            }
        }
        path = path.replaceFirst("^(Resource|DomainResource)\\.", type + ".");
        if (!path.startsWith(type + ".") || !(path + suffix).matches("[A-Za-z.]+")) {
            throw new IllegalArgumentException("'" + expression + "' is not a simple path");
        }
        List<String> segments = new ArrayList<>(List.of(path.substring(type.length() + 1).split("\\.")));
        if (cast != null) {
            int last = segments.size() - 1;
            segments.set(last, segments.get(last) + Character.toUpperCase(cast.charAt(0)) + cast.substring(1));
        }
        if (!suffix.isEmpty()) {
            segments.addAll(List.of(suffix.substring(1).split("\\.")));
        }
        return new ElementPath(type, List.copyOf(segments), fixedChild, fixedValue, resolvesTo);
    }

    /** Which of the pair an element is set for. */
    private enum Variant { MATCH, MISS }

    /** The element a search parameter reads, as a path of element names from the resource. */
    private final class ElementPath {
        private final String type;
        private final List<String> segments;
        private final String fixedChild;
        private final String fixedValue;
        private final String resolvesTo;

        ElementPath(String type, List<String> segments, String fixedChild, String fixedValue, String resolvesTo) {
            this.type = type;
            this.segments = segments;
            this.fixedChild = fixedChild;
            this.fixedValue = fixedValue;
            this.resolvesTo = resolvesTo;
        }

        /** Sets the element on {@code resource}, replacing what was there, and returns the value that searches for it. */
        String set(Resource resource, SearchParamType kind, Variant variant, Targets targets) {
            if (segments.equals(List.of("meta", "profile"))) {
                // Why: the offline validator refuses profiles it cannot find, so the match claims the base
                // definition of its type and the miss claims none.
                String profile = "http://hl7.org/fhir/StructureDefinition/" + type;
                if (variant == Variant.MATCH) {
                    resource.getMeta().addProfile(profile);
                }
                return profile;
            }
            IBase parent = resource;
            BaseRuntimeElementCompositeDefinition<?> definition = fhir.getResourceDefinition(resource);
            for (int i = 0; i < segments.size(); i++) {
                BaseRuntimeChildDefinition child = child(definition, segments.get(i));
                BaseRuntimeElementDefinition<?> element = child.getChildByName(elementName(child, segments.get(i), kind));
                if (i < segments.size() - 1) {
                    List<IBase> existing = child.getAccessor().getValues(parent);
                    IBase next = existing.isEmpty() ? element.newInstance(child.getInstanceConstructorArguments()) : existing.get(0);
                    if (existing.isEmpty()) {
                        child.getMutator().addValue(parent, next);
                    }
                    parent = next;
                    definition = (BaseRuntimeElementCompositeDefinition<?>) fhir.getElementDefinition(next.getClass());
                } else {
                    IBase leaf = element.newInstance(child.getInstanceConstructorArguments());
                    child.getMutator().setValue(parent, leaf);
                    String value = setLeaf(leaf, child, kind, variant, targets);
                    if (fixedChild != null) {
                        fhir.newTerser().setElement(leaf, fixedChild, fixedValue);
                    }
                    return value;
                }
            }
            throw new IllegalStateException("empty path of " + type);
        }

        private String setLeaf(IBase leaf, BaseRuntimeChildDefinition child, SearchParamType kind, Variant variant,
                               Targets targets) {
            String seed = seed();
            if (leaf instanceof Reference reference) {
                String target = registryTargets().stream().map(targets::to).filter(t -> t != null).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no target for " + type + "." + String.join(".", segments)));
                reference.setReference(target);
                return target;
            }
            if (leaf instanceof Enumeration<?> enumeration) {
                // Why: not the first code, which required elements get; the second and third suit every
                // invariant met so far (org-2 forbids an organization's address of use 'home').
                List<String> codes = codes(child, enumeration);
                int index = variant == Variant.MATCH ? 1 : codes.size() > 2 ? 2 : 0;
                String code = codes.get(index);
                enumeration.setValueAsString(code);
                return code;
            }
            if (leaf instanceof BooleanType bool) {
                bool.setValue(variant == Variant.MATCH);
                return "true";
            }
            if (leaf instanceof CodeableConcept || leaf instanceof Coding) {
                return coding(leaf, child, seed);
            }
            if (leaf instanceof Identifier identifier) {
                identifier.setSystem(system).setValue(seed);
                return system + "|" + seed;
            }
            if (leaf instanceof ContactPoint contact) {
                contact.setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(seed);
                return seed;
            }
            if (leaf instanceof HumanName name) {
                name.setFamily(seed);
                return seed;
            }
            if (leaf instanceof Address address) {
                address.setCity(seed);
                return seed;
            }
            if (leaf instanceof Period period) {
                String day = day();
                period.setStartElement(new DateTimeType(day)).setEndElement(new DateTimeType(day));
                return day;
            }
            if (leaf instanceof InstantType instant) {
                String day = day();
                instant.setValueAsString(day + "T12:00:00Z");
                return day;
            }
            if (leaf instanceof DateType || leaf instanceof DateTimeType) {
                String day = day();
                ((IPrimitiveType<?>) leaf).setValueAsString(day);
                return day;
            }
            if (leaf instanceof UriType uri) {
                String url = "http://example.org/fhir/" + (kind == SearchParamType.REFERENCE ? "PlanDefinition/" : "") + seed;
                uri.setValue(url);
                return url;
            }
            if (leaf instanceof StringType || leaf instanceof CodeType || leaf instanceof MarkdownType) {
                ((IPrimitiveType<?>) leaf).setValueAsString(seed);
                return seed;
            }
            throw new IllegalStateException("No value for " + type + "." + String.join(".", segments)
                    + " of datatype " + fhir.getElementDefinition(leaf.getClass()).getName());
        }

        /** Why this parameter cannot match a stored resource, if it cannot. */
        Optional<String> unreachableTargets(SearchParamType kind) {
            if (kind != SearchParamType.REFERENCE || !registryTargets().isEmpty() || isCanonical()) {
                return Optional.empty();
            }
            return Optional.of("it points only at " + allTargets() + ", which the server does not declare");
        }

        boolean allowsTarget(String targetType) {
            return allTargets().contains(targetType) && (resolvesTo == null || resolvesTo.equals(targetType));
        }

        List<String> registryTargets() {
            return allTargets().stream().filter(registryTypes::contains).toList();
        }

        /** Resource types the element may point at (every registry type for {@code Reference(Any)}), Patient first. */
        List<String> allTargets() {
            if (resolvesTo != null) {
                return List.of(resolvesTo);
            }
            BaseRuntimeElementCompositeDefinition<?> definition = fhir.getResourceDefinition(type);
            BaseRuntimeChildDefinition child = null;
            for (String segment : segments) {
                child = child(definition, segment);
                BaseRuntimeElementDefinition<?> element = child.getChildByName(elementName(child, segment, SearchParamType.REFERENCE));
                if (element instanceof BaseRuntimeElementCompositeDefinition<?> composite) {
                    definition = composite;
                }
            }
            return targetsOf(child);
        }

        private boolean isCanonical() {
            BaseRuntimeElementCompositeDefinition<?> definition = fhir.getResourceDefinition(type);
            BaseRuntimeElementDefinition<?> element = null;
            for (String segment : segments) {
                BaseRuntimeChildDefinition child = child(definition, segment);
                element = child.getChildByName(elementName(child, segment, SearchParamType.REFERENCE));
                if (element instanceof BaseRuntimeElementCompositeDefinition<?> composite) {
                    definition = composite;
                }
            }
            return element != null && CanonicalType.class.isAssignableFrom(element.getImplementingClass());
        }
    }

    private BaseRuntimeChildDefinition child(BaseRuntimeElementCompositeDefinition<?> definition, String name) {
        BaseRuntimeChildDefinition child = definition.getChildByName(name);
        if (child == null) {
            child = definition.getChildByName(name + "[x]");
        }
        if (child == null) {
            throw new IllegalStateException(definition.getName() + " has no element " + name);
        }
        return child;
    }

    /** The element name to create: the segment itself, or for a bare choice ({@code effective}) its preferred type. */
    private static String elementName(BaseRuntimeChildDefinition child, String segment, SearchParamType kind) {
        if (!(child instanceof RuntimeChildChoiceDefinition choice) || child.getValidChildNames().contains(segment)) {
            return segment;
        }
        for (String datatype : CHOICE_PREFERENCE.getOrDefault(kind, List.of())) {
            if (choice.getValidChildNames().contains(segment + datatype)) {
                return segment + datatype;
            }
        }
        return choice.getValidChildNames().stream().sorted().findFirst().orElseThrow();
    }

    private List<String> targetsOf(BaseRuntimeChildDefinition child) {
        List<Class<? extends IBaseResource>> classes = child instanceof RuntimeChildResourceDefinition reference
                ? reference.getResourceTypes()
                : child instanceof RuntimeChildChoiceDefinition choice ? choice.getResourceTypes() : List.of();
        if (classes == null) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (Class<? extends IBaseResource> target : classes) {
            if (java.lang.reflect.Modifier.isAbstract(target.getModifiers()) || target.isInterface()) {
                names.addAll(registryTypes);
            } else {
                names.add(fhir.getResourceType(target));
            }
        }
        List<String> ordered = new ArrayList<>();
        if (names.remove("Patient")) {
            ordered.add("Patient");
        }
        ordered.addAll(names);
        return ordered;
    }

    /** Fills every required element that is empty, in the resource and in each element it holds. */
    private void fillRequired(IBase element, Targets targets) {
        BaseRuntimeElementDefinition<?> definition = fhir.getElementDefinition(element.getClass());
        if (!(definition instanceof BaseRuntimeElementCompositeDefinition<?> composite) || element instanceof Extension) {
            return;
        }
        for (BaseRuntimeChildDefinition child : composite.getChildren()) {
            List<IBase> values = child.getAccessor().getValues(element);
            if (values.isEmpty() && child.getMin() > 0) {
                IBase value = requiredValue(child, targets);
                child.getMutator().addValue(element, value);
                values = List.of(value);
            }
            if (!(element instanceof Reference)) {
                values.forEach(v -> fillRequired(v, targets));
            }
        }
    }

    private IBase requiredValue(BaseRuntimeChildDefinition child, Targets targets) {
        String name = elementName(child, child.getElementName(), SearchParamType.TOKEN);
        IBase value = child.getChildByName(name).newInstance(child.getInstanceConstructorArguments());
        if (value instanceof Reference reference) {
            List<String> allowed = targetsOf(child).stream().filter(registryTypes::contains).toList();
            String target = allowed.stream().map(targets::to).filter(t -> t != null).findFirst()
                    .orElseThrow(() -> new IllegalStateException("required " + child.getElementName()
                            + " can only point at " + targetsOf(child)));
            reference.setReference(target);
        } else if (value instanceof Enumeration<?> enumeration) {
            enumeration.setValueAsString(codes(child, enumeration).get(0));
        } else if (value instanceof BooleanType bool) {
            bool.setValue(false);
        } else if (value instanceof CodeableConcept || value instanceof Coding) {
            coding(value, child, seed());
        } else if (value instanceof InstantType || value instanceof DateTimeType) {
            ((IPrimitiveType<?>) value).setValueAsString("2024-05-01T10:00:00Z");
        } else if (value instanceof DateType date) {
            date.setValueAsString("2024-05-01");
        } else if (value instanceof UriType uri) {
            uri.setValue("http://example.org/fhir/" + seed());
        } else if (value instanceof IPrimitiveType<?> primitive) {
            primitive.setValueAsString(seed());
        }
        return value;
    }

    /** Sets a code of this run's system (or a BCP-47 language where the element is bound to languages); returns the token. */
    private String coding(IBase element, BaseRuntimeChildDefinition child, String seed) {
        boolean language = child instanceof ca.uhn.fhir.context.BaseRuntimeDeclaredChildDefinition declared
                && LANGUAGES.equals(declared.getBindingValueSet());
        String codeSystem = language ? BCP47 : system;
        String code = language ? LANGUAGE_CODES.get(seeds % LANGUAGE_CODES.size()) : seed;
        Consumer<Coding> set = coding -> coding.setSystem(codeSystem).setCode(code);
        if (element instanceof CodeableConcept concept) {
            set.accept(concept.addCoding());
        } else {
            set.accept((Coding) element);
        }
        return codeSystem + "|" + code;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<String> codes(BaseRuntimeChildDefinition child, Enumeration<?> enumeration) {
        EnumFactory factory = enumeration.getEnumFactory();
        Class<? extends Enum<?>> type = child instanceof RuntimeChildPrimitiveEnumerationDatatypeDefinition bound
                ? bound.getBoundEnumType() : null;
        if (type == null) {
            throw new IllegalStateException("no codes known for " + child.getElementName());
        }
        List<String> codes = new ArrayList<>();
        for (Enum<?> constant : type.getEnumConstants()) {
            if (!constant.name().equals("NULL")) {
                codes.add(factory.toCode(constant));
            }
        }
        return codes;
    }

    /** A new random-looking string of letters, all of one length. */
    String seed() {
        int n = seeds++;
        char[] counter = new char[4];
        for (int i = 3; i >= 0; i--) {
            counter[i] = (char) ('a' + n % 26);
            n /= 26;
        }
        return seedPrefix + new String(counter);
    }

    private String day() {
        return LocalDate.of(1950, 1, 1).plusDays(days++).toString();
    }
}

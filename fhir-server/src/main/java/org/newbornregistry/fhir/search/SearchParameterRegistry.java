package org.newbornregistry.fhir.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.rest.server.util.ResourceSearchParams;
import jakarta.annotation.Nonnull;
import jakarta.annotation.Nullable;
import org.hl7.fhir.r4.model.SearchParameter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The search parameters the registry supports, per resource type: the parameters of the FHIR R4
 * specification it serves ({@link ServedSearchParameters}) whose kind the store indexes (token,
 * string, date, reference, uri), and the registry's own from its conformance package, each with
 * its FHIRPath expression parsed once. The same registry drives index
 * extraction, query parsing and the CapabilityStatement, so the three cannot disagree.
 *
 * <p>Not supported, and therefore absent from the CapabilityStatement: number, quantity,
 * composite and special parameters, and {@code phonetic} (it needs a phonetic encoder).
 */
public final class SearchParameterRegistry implements ISearchParamRegistry {

    private static final Set<RestSearchParameterTypeEnum> INDEXED_KINDS = EnumSet.of(
            RestSearchParameterTypeEnum.TOKEN,
            RestSearchParameterTypeEnum.STRING,
            RestSearchParameterTypeEnum.DATE,
            RestSearchParameterTypeEnum.REFERENCE,
            RestSearchParameterTypeEnum.URI);

    private static final Set<String> UNSUPPORTED_NAMES = Set.of("phonetic");

    private final Map<String, Map<String, IndexedSearchParameter>> byType = new LinkedHashMap<>();
    private final Map<String, RuntimeSearchParam> byUrl = new HashMap<>();

    public SearchParameterRegistry(FhirContext fhirContext, IFhirPath fhirPath, Collection<String> resourceTypes) {
        this(fhirContext, fhirPath, resourceTypes, List.of());
    }

    /**
     * @param registryParameters the registry's own SearchParameters (its conformance package), indexed
     *                           and searchable like the specification's, after them
     */
    public SearchParameterRegistry(FhirContext fhirContext, IFhirPath fhirPath, Collection<String> resourceTypes,
                                   Collection<SearchParameter> registryParameters) {
        for (String resourceType : resourceTypes) {
            RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(resourceType);
            Map<String, IndexedSearchParameter> params = new LinkedHashMap<>();
            List<RuntimeSearchParam> all = new ArrayList<>(definition.getSearchParams().stream()
                    .filter(sp -> ServedSearchParameters.served(resourceType, sp.getName())).toList());
            registryParameters.stream().filter(sp -> sp.getBase().stream().anyMatch(b -> resourceType.equals(b.getCode())))
                    .map(SearchParameterRegistry::runtime).forEach(all::add);
            for (RuntimeSearchParam sp : all) {
                if (!INDEXED_KINDS.contains(sp.getParamType()) || UNSUPPORTED_NAMES.contains(sp.getName())) {
                    continue;
                }
                List<IFhirPath.IParsedExpression> expressions = new ArrayList<>();
                List<String> paths = new ArrayList<>();
                for (String path : sp.getPathsSplitForResourceType(resourceType)) {
                    paths.add(rootedAt(resourceType, path));
                    expressions.add(parse(fhirPath, paths.get(paths.size() - 1), resourceType, sp.getName()));
                }
                if (expressions.isEmpty()) {
                    continue;
                }
                params.put(sp.getName(), new IndexedSearchParameter(
                        resourceType, sp.getName(), sp.getParamType(), List.copyOf(expressions),
                        Set.copyOf(sp.getTargets()), sp, DirectPaths.of(resourceType, sp.getName(), paths).orElse(null)));
                if (sp.getUri() != null) {
                    byUrl.putIfAbsent(sp.getUri(), sp);
                }
            }
            byType.put(resourceType, Collections.unmodifiableMap(params));
        }
    }

    /** The resource types this registry holds. */
    public Set<String> resourceTypes() {
        return Collections.unmodifiableSet(byType.keySet());
    }

    /** Whether the registry holds resources of this type. */
    public boolean isSupportedType(String resourceType) {
        return byType.containsKey(resourceType);
    }

    /** The parameter of this name for this type, if the registry supports it. */
    public Optional<IndexedSearchParameter> find(String resourceType, String name) {
        return Optional.ofNullable(byType.getOrDefault(resourceType, Map.of()).get(name));
    }

    /** All supported parameters of a type, in the specification's order. */
    public Collection<IndexedSearchParameter> parameters(String resourceType) {
        return byType.getOrDefault(resourceType, Map.of()).values();
    }

    /** Names of the supported parameters of a type, sorted, for error messages. */
    public Set<String> parameterNames(String resourceType) {
        return new TreeSet<>(byType.getOrDefault(resourceType, Map.of()).keySet());
    }

    @Override
    public RuntimeSearchParam getActiveSearchParam(
            @Nonnull String resourceName, @Nonnull String paramName, @Nonnull SearchParamLookupContextEnum context) {
        return find(resourceName, paramName).map(IndexedSearchParameter::definition).orElse(null);
    }

    @Override
    public ResourceSearchParams getActiveSearchParams(
            @Nonnull String resourceName, @Nonnull SearchParamLookupContextEnum context) {
        ResourceSearchParams result = new ResourceSearchParams(resourceName);
        for (IndexedSearchParameter p : parameters(resourceName)) {
            result.put(p.name(), p.definition());
        }
        return result;
    }

    @Nullable
    @Override
    public RuntimeSearchParam getActiveSearchParamByUrl(
            @Nonnull String url, @Nonnull SearchParamLookupContextEnum context) {
        return byUrl.get(url);
    }

    /** A SearchParameter resource as HAPI's runtime definition, which the extractor, parser and CapabilityStatement read. */
    private static RuntimeSearchParam runtime(SearchParameter parameter) {
        if (parameter.getCode() == null || parameter.getExpression() == null || parameter.getType() == null) {
            throw new IllegalStateException("SearchParameter " + parameter.getUrl() + " needs a code, an expression and a type");
        }
        Set<String> targets = new TreeSet<>();
        parameter.getTarget().forEach(t -> targets.add(t.getCode()));
        return new RuntimeSearchParam(parameter.getIdElement(), parameter.getUrl(), parameter.getCode(), parameter.getDescription(),
                parameter.getExpression(), RestSearchParameterTypeEnum.forCode(parameter.getType().toCode()), Set.of(), targets,
                RuntimeSearchParam.RuntimeSearchParamStatusEnum.ACTIVE,
                parameter.getBase().stream().map(b -> b.getCode()).toList());
    }

    // Why: R4 defines _id, _profile, _tag... on "Resource."; FHIRPath evaluates from the concrete type.
    private static String rootedAt(String resourceType, String path) {
        for (String base : List.of("Resource.", "DomainResource.")) {
            if (path.startsWith(base)) {
                return resourceType + "." + path.substring(base.length());
            }
        }
        return path;
    }

    private static IFhirPath.IParsedExpression parse(
            IFhirPath fhirPath, String expression, String resourceType, String name) {
        try {
            return fhirPath.parse(expression);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "FHIRPath of search parameter " + resourceType + ":" + name + " does not parse", e);
        }
    }
}

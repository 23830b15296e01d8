package org.newbornregistry.routes.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.context.support.IValidationSupport;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.SearchParameter;

import java.util.ArrayList;
import java.util.List;

/**
 * A search parameter as the CapabilityStatement declares it for a type, with the FHIRPath
 * expressions its definition gives for that type.
 *
 * @param type        resource type the parameter is declared on, e.g. {@code Patient}
 * @param name        parameter name, e.g. {@code birthdate}
 * @param kind        parameter type (token, string, date, reference, uri...)
 * @param expressions the definition's FHIRPath alternatives that apply to {@code type}, in order;
 *                    empty when the definition cannot be found
 */
record DeclaredSearchParameter(String type, String name, SearchParamType kind, List<String> expressions) {

    /**
     * Resolves a declared parameter: its {@code definition} canonical through the validation
     * support (which holds the registry's own SearchParameters, from its conformance package), else
     * the R4 definition HAPI knows under that name.
     */
    static DeclaredSearchParameter resolve(String type, CapabilityStatementRestResourceSearchParamComponent declared,
                                           IValidationSupport support, FhirContext fhir) {
        String name = declared.getName();
        List<String> expressions = new ArrayList<>();
        SearchParameter definition = declared.hasDefinition() ? definition(support, declared.getDefinition()) : null;
        if (definition != null && definition.hasExpression()) {
            for (String alternative : splitUnion(definition.getExpression())) {
                if (appliesTo(type, alternative)) {
                    expressions.add(alternative);
                }
            }
        } else {
            RuntimeSearchParam known = fhir.getResourceDefinition(type).getSearchParam(name);
            if (known != null) {
                expressions.addAll(known.getPathsSplitForResourceType(type));
            }
        }
        return new DeclaredSearchParameter(type, name, declared.getType(), List.copyOf(expressions));
    }

    /**
     * The SearchParameter with this canonical. Why not {@code fetchResource} alone: HAPI's pre-populated
     * support keeps SearchParameters apart and only lists them ({@code fetchAllSearchParameters}).
     */
    private static SearchParameter definition(IValidationSupport support, String canonical) {
        SearchParameter fetched = support.fetchResource(SearchParameter.class, canonical);
        if (fetched != null) {
            return fetched;
        }
        List<IBaseResource> all = support.fetchAllSearchParameters();
        return all == null ? null : all.stream().filter(SearchParameter.class::isInstance).map(SearchParameter.class::cast)
                .filter(p -> canonical.equals(p.getUrl())).findFirst().orElse(null);
    }

    /** {@code Type?name} with the kind, as the suite's test names show a parameter. */
    @Override
    public String toString() {
        return type + "?" + name + " (" + kind.toCode() + ")";
    }

    private static boolean appliesTo(String type, String alternative) {
        String path = alternative.startsWith("(") ? alternative.substring(1) : alternative;
        return path.startsWith(type + ".") || path.startsWith("Resource.") || path.startsWith("DomainResource.");
    }

    /** Splits {@code a | b | (c as X)} at the unions outside parentheses. */
    private static List<String> splitUnion(String expression) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                parts.add(expression.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(expression.substring(start).strip());
        return parts;
    }
}

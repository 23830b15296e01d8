package org.newbornregistry.fhir.search;

import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.QualifiedParamList;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.param.ParameterUtil;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.RegistryErrors;
import org.newbornregistry.fhir.search.SearchQuery.Criterion;
import org.newbornregistry.fhir.search.SearchQuery.DatePrefix;
import org.newbornregistry.fhir.search.SearchQuery.DateValue;
import org.newbornregistry.fhir.search.SearchQuery.Include;
import org.newbornregistry.fhir.search.SearchQuery.MissingValue;
import org.newbornregistry.fhir.search.SearchQuery.Modifier;
import org.newbornregistry.fhir.search.SearchQuery.ReferenceValue;
import org.newbornregistry.fhir.search.SearchQuery.SearchValue;
import org.newbornregistry.fhir.search.SearchQuery.Sort;
import org.newbornregistry.fhir.search.SearchQuery.SortKey;
import org.newbornregistry.fhir.search.SearchQuery.StringValue;
import org.newbornregistry.fhir.search.SearchQuery.TokenValue;
import org.newbornregistry.fhir.search.SearchQuery.UriValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.apache.commons.lang3.StringUtils.isBlank;

/**
 * Parses FHIR search parameters (as they arrive in a URL or form body) into a {@link SearchQuery}.
 * Anything the registry cannot honour exactly is refused with a 400 naming the parameter, rather
 * than ignored: a search that silently drops a criterion returns other patients' records.
 *
 * <p>Error messages name parameters and modifiers, never the searched values.
 */
public final class SearchQueryParser {

    /** Parameters handled by HAPI's response layer or the paging machinery, not by the query. */
    private static final Set<String> RESPONSE_PARAMETERS = Set.of(
            Constants.PARAM_FORMAT, Constants.PARAM_PRETTY, Constants.PARAM_SUMMARY, Constants.PARAM_ELEMENTS,
            Constants.PARAM_ELEMENTS + Constants.PARAM_ELEMENTS_EXCLUDE_MODIFIER);

    /** The parameter types {@code _sort} takes beside {@code _id} and {@code _lastUpdated}. */
    private static final Set<RestSearchParameterTypeEnum> SORTABLE_TYPES = Set.of(
            RestSearchParameterTypeEnum.DATE, RestSearchParameterTypeEnum.STRING, RestSearchParameterTypeEnum.TOKEN);

    private final SearchParameterRegistry registry;

    public SearchQueryParser(SearchParameterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Parses the parameters of a search on a resource type.
     *
     * @param resourceType the type searched
     * @param parameters   parameter name (with modifier) to its occurrences
     * @param serverBase   this server's base URL, so that absolute references to it count as local; may be null
     */
    public SearchQuery parse(String resourceType, Map<String, String[]> parameters, String serverBase) {
        List<Criterion> criteria = new ArrayList<>();
        Sort sort = Sort.STORAGE_ORDER;
        Integer count = null;
        boolean totalWanted = false;
        List<Include> includes = new ArrayList<>();
        List<Include> revIncludes = new ArrayList<>();

        for (Map.Entry<String, String[]> entry : parameters.entrySet()) {
            String rawName = entry.getKey();
            String[] occurrences = entry.getValue();
            int colon = rawName.indexOf(':');
            String name = colon < 0 ? rawName : rawName.substring(0, colon);
            String modifier = colon < 0 ? null : rawName.substring(colon + 1);

            if (RESPONSE_PARAMETERS.contains(rawName)) {
                if (rawName.equals(Constants.PARAM_SUMMARY) && contains(occurrences, "count")) {
                    totalWanted = true;
                }
                continue;
            }
            switch (name) {
                case Constants.PARAM_COUNT -> count = parseCount(single(rawName, occurrences));
                case Constants.PARAM_SORT -> sort = parseSort(resourceType, single(rawName, occurrences));
                case Constants.PARAM_SEARCH_TOTAL_MODE -> totalWanted |= parseTotal(single(rawName, occurrences));
                case Constants.PARAM_INCLUDE -> includes.addAll(parseIncludes(resourceType, modifier, occurrences, false));
                case Constants.PARAM_REVINCLUDE -> revIncludes.addAll(parseIncludes(resourceType, modifier, occurrences, true));
                default -> {
                    for (String occurrence : occurrences) {
                        criteria.add(parseCriterion(resourceType, rawName, name, modifier, occurrence, serverBase));
                    }
                }
            }
        }
        return new SearchQuery(resourceType, List.copyOf(criteria), sort, count, totalWanted,
                List.copyOf(includes), List.copyOf(revIncludes));
    }

    private Criterion parseCriterion(
            String resourceType, String rawName, String name, String modifier, String occurrence, String serverBase) {
        if (name.contains(".")) {
            throw unsupported("chained search parameter '" + rawName + "' is not supported");
        }
        if (name.startsWith("_has")) {
            throw unsupported("reverse chaining (_has) is not supported");
        }
        IndexedSearchParameter param = registry.find(resourceType, name).orElseThrow(() -> RegistryErrors.exception(
                NbrError.UNKNOWN_SEARCH_PARAMETER,
                "unknown search parameter '" + name + "' for resource type " + resourceType
                        + "; supported: " + registry.parameterNames(resourceType)));

        Modifier parsedModifier = Modifier.NONE;
        String referenceType = null;
        if (modifier != null) {
            parsedModifier = switch (modifier) {
                case "missing" -> Modifier.MISSING;
                case "not" -> requireKind(param, modifier, Modifier.NOT, RestSearchParameterTypeEnum.TOKEN);
                case "exact" -> requireKind(param, modifier, Modifier.EXACT, RestSearchParameterTypeEnum.STRING);
                case "contains" -> requireKind(param, modifier, Modifier.CONTAINS, RestSearchParameterTypeEnum.STRING);
                default -> {
                    if (param.type() == RestSearchParameterTypeEnum.REFERENCE && registry.isSupportedType(modifier)) {
                        referenceType = modifier;
                        yield Modifier.NONE;
                    }
                    throw unsupported("modifier ':" + modifier + "' is not supported on parameter '" + name + "'");
                }
            };
        }
        if (param.isResourceColumn() && parsedModifier != Modifier.NONE) {
            throw unsupported("modifier ':" + modifier + "' is not supported on parameter '" + name + "'");
        }

        List<SearchValue> values = new ArrayList<>();
        for (String raw : QualifiedParamList.splitQueryStringByCommasIgnoreEscape(null, occurrence)) {
            if (isBlank(raw)) {
                continue;
            }
            values.add(parsedModifier == Modifier.MISSING
                    ? parseMissing(name, raw)
                    : parseValue(param, raw, referenceType, serverBase));
        }
        if (values.isEmpty()) {
            throw invalid("search parameter '" + name + "' has no value");
        }
        return new Criterion(param, parsedModifier, List.copyOf(values));
    }

    private SearchValue parseValue(IndexedSearchParameter param, String raw, String referenceType, String serverBase) {
        return switch (param.type()) {
            case TOKEN -> parseToken(raw);
            case STRING -> new StringValue(ParameterUtil.unescape(raw));
            case DATE -> parseDate(param.name(), raw);
            case REFERENCE -> parseReference(param, raw, referenceType, serverBase);
            case URI -> new UriValue(ParameterUtil.unescape(raw));
            default -> throw unsupported("parameter '" + param.name() + "' is not searchable");
        };
    }

    private static TokenValue parseToken(String raw) {
        int bar = ParameterUtil.nonEscapedIndexOf(raw, '|');
        if (bar < 0) {
            return new TokenValue(null, ParameterUtil.unescape(raw), false);
        }
        String system = ParameterUtil.unescape(raw.substring(0, bar));
        String code = ParameterUtil.unescape(raw.substring(bar + 1));
        if (system.isEmpty()) {
            return new TokenValue(null, code, true);
        }
        return new TokenValue(system, code.isEmpty() ? null : code, false);
    }

    private static DateValue parseDate(String name, String raw) {
        DatePrefix prefix = DatePrefix.EQ;
        // Why: an unencoded '+' of a zone offset arrives as a space after URL decoding.
        String text = raw.replace(' ', '+');
        if (raw.length() > 2 && Character.isLetter(raw.charAt(0))) {
            try {
                prefix = DatePrefix.valueOf(raw.substring(0, 2).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid("search parameter '" + name + "' has an unknown date prefix");
            }
            text = text.substring(2);
        }
        try {
            return new DateValue(prefix, DateRange.parse(text));
        } catch (IllegalArgumentException e) {
            throw invalid("search parameter '" + name + "' needs a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime)");
        }
    }

    private ReferenceValue parseReference(
            IndexedSearchParameter param, String raw, String referenceType, String serverBase) {
        String value = ParameterUtil.unescape(raw);
        if (serverBase != null && value.startsWith(serverBase + "/")) {
            value = value.substring(serverBase.length() + 1);
        }
        if (value.startsWith("http://") || value.startsWith("https://") || value.startsWith("urn:")) {
            return new ReferenceValue(null, null, value);
        }
        String[] parts = value.split("/");
        String type;
        String id;
        if (parts.length == 1) {
            type = referenceType != null ? referenceType
                    : param.targets().size() == 1 ? param.targets().iterator().next() : null;
            id = parts[0];
        } else if (parts.length == 2 || (parts.length == 4 && parts[2].equals("_history"))) {
            type = parts[0];
            id = parts[1];
            if (referenceType != null && !referenceType.equals(type)) {
                throw invalid("search parameter '" + param.name() + "' names two different target types");
            }
        } else {
            throw invalid("search parameter '" + param.name() + "' needs a reference like Type/id, id or an absolute URL");
        }
        // Why: a type the parameter may point at is a valid search even when the registry holds none of
        // it (nothing matches); refusing it made parameters such as Encounter?account unusable.
        if (type != null && !registry.isSupportedType(type)
                && !(param.targets().isEmpty() || param.targets().contains(type))) {
            throw invalid("search parameter '" + param.name() + "' refers to a type the registry does not hold");
        }
        return new ReferenceValue(type, id, null);
    }

    private static MissingValue parseMissing(String name, String raw) {
        return switch (raw) {
            case "true" -> new MissingValue(true);
            case "false" -> new MissingValue(false);
            default -> throw invalid("modifier ':missing' of '" + name + "' takes true or false");
        };
    }

    private static Modifier requireKind(
            IndexedSearchParameter param, String modifier, Modifier result, RestSearchParameterTypeEnum kind) {
        if (param.type() != kind) {
            throw unsupported("modifier ':" + modifier + "' is not supported on " + param.type().getCode()
                    + " parameter '" + param.name() + "'");
        }
        return result;
    }

    private static int parseCount(String raw) {
        try {
            int count = Integer.parseInt(raw);
            if (count < 0) {
                throw new NumberFormatException();
            }
            return count;
        } catch (NumberFormatException e) {
            throw invalid("_count needs a non-negative integer");
        }
    }

    /**
     * {@code _sort}: comma-separated keys, each {@code _id}, {@code _lastUpdated} or a date,
     * string or token parameter of the type, descending with a leading {@code -}.
     */
    private Sort parseSort(String resourceType, String raw) {
        List<SortKey> keys = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (String part : raw.split(",", -1)) {
            String key = part.trim();
            boolean descending = key.startsWith("-");
            String name = descending ? key.substring(1) : key;
            if (name.isEmpty()) {
                throw invalid("_sort has an empty key");
            }
            if (!seen.add(name)) {
                throw invalid("_sort names '" + name + "' twice");
            }
            if (name.equals(IndexedSearchParameter.ID) || name.equals(IndexedSearchParameter.LAST_UPDATED)) {
                keys.add(new SortKey(name, null, descending));
                continue;
            }
            IndexedSearchParameter param = registry.find(resourceType, name).orElseThrow(() -> RegistryErrors.exception(
                    NbrError.UNKNOWN_SEARCH_PARAMETER, "_sort names '" + name + "', which is no search parameter of "
                            + resourceType + "; supported: " + registry.parameterNames(resourceType)));
            if (!SORTABLE_TYPES.contains(param.type())) {
                throw unsupported("_sort takes _id, _lastUpdated and date, string and token parameters; '" + name
                        + "' is a " + param.type().getCode() + " parameter");
            }
            keys.add(new SortKey(param.name(), param.type(), descending));
        }
        return new Sort(List.copyOf(keys));
    }

    private static boolean parseTotal(String raw) {
        return switch (raw) {
            case "accurate" -> true;
            case "none", "estimate" -> false;
            default -> throw invalid("_total takes none, estimate or accurate");
        };
    }

    private List<Include> parseIncludes(String resourceType, String modifier, String[] occurrences, boolean reverse) {
        String kind = reverse ? Constants.PARAM_REVINCLUDE : Constants.PARAM_INCLUDE;
        boolean iterate = false;
        if (modifier != null) {
            if (!modifier.equals("iterate") && !modifier.equals("recurse")) {
                throw unsupported("modifier ':" + modifier + "' is not supported on " + kind);
            }
            iterate = true;
        }
        List<Include> result = new ArrayList<>();
        for (String occurrence : occurrences) {
            if (occurrence.equals("*")) {
                result.add(new Include(resourceType, null, null, iterate));
                continue;
            }
            String[] parts = occurrence.split(":");
            if (parts.length < 2 || parts.length > 3) {
                throw invalid(kind + " needs SourceType:parameter[:TargetType]");
            }
            String source = parts[0];
            if (!registry.isSupportedType(source)) {
                throw invalid(kind + " names a resource type the registry does not hold");
            }
            String param = parts[1].equals("*") ? null : parts[1];
            if (param != null && registry.find(source, param)
                    .filter(p -> p.type() == RestSearchParameterTypeEnum.REFERENCE).isEmpty()) {
                throw invalid(kind + " '" + source + ":" + param + "' is not a reference parameter of " + source);
            }
            String target = parts.length == 3 ? parts[2] : null;
            if (target != null && !registry.isSupportedType(target)) {
                throw invalid(kind + " names a target type the registry does not hold");
            }
            result.add(new Include(source, param, target, iterate));
        }
        return result;
    }

    private static String single(String name, String[] occurrences) {
        if (occurrences.length != 1) {
            throw invalid(name + " may appear only once");
        }
        return occurrences[0];
    }

    private static boolean contains(String[] values, String wanted) {
        for (String value : values) {
            if (wanted.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static RuntimeException invalid(String message) {
        return RegistryErrors.exception(NbrError.INVALID_SEARCH_VALUE, message);
    }

    private static RuntimeException unsupported(String message) {
        return RegistryErrors.exception(NbrError.UNSUPPORTED_SEARCH_FEATURE, message);
    }
}

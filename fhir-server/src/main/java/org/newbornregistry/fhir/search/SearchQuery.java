package org.newbornregistry.fhir.search;

import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;

import java.util.List;

/**
 * A parsed FHIR search on one resource type: criteria that must all hold (each one true if any
 * of its values matches), the order, the page size, and what to include beside the matches.
 *
 * @param resourceType the type searched
 * @param criteria     ANDed criteria
 * @param sort         the order of results
 * @param count        requested page size, or null for the server default
 * @param totalWanted  whether the client asked for an accurate total ({@code _total=accurate} or {@code _summary=count})
 * @param includes     {@code _include} directives
 * @param revIncludes  {@code _revinclude} directives
 */
public record SearchQuery(
        String resourceType,
        List<Criterion> criteria,
        Sort sort,
        Integer count,
        boolean totalWanted,
        List<Include> includes,
        List<Include> revIncludes) {

    /** A search query that matches every resource of a type, in storage order. */
    public static SearchQuery all(String resourceType) {
        return new SearchQuery(resourceType, List.of(), Sort.STORAGE_ORDER, null, false, List.of(), List.of());
    }

    /** One parameter occurrence: true if any of its values matches. */
    public record Criterion(IndexedSearchParameter param, Modifier modifier, List<SearchValue> anyOf) {
    }

    /** The search modifiers the registry supports. */
    public enum Modifier {
        NONE, NOT, EXACT, CONTAINS, MISSING
    }

    /** A value of a criterion, typed by its parameter's kind. */
    public sealed interface SearchValue {
    }

    /**
     * A token: {@code code}, {@code system|code}, {@code |code} (no system) or {@code system|}.
     *
     * @param system         the system, or null
     * @param code           the code, or null for "any code in the system"
     * @param explicitNoSystem true for {@code |code}
     */
    public record TokenValue(String system, String code, boolean explicitNoSystem) implements SearchValue {
    }

    /** A string to match (normalised for the default and :contains, verbatim for :exact). */
    public record StringValue(String value) implements SearchValue {
    }

    /** A date with its comparison prefix. */
    public record DateValue(DatePrefix prefix, DateRange range) implements SearchValue {
    }

    /**
     * A reference: a local {@code type}/{@code id} (type null when not given and not implied) or
     * an absolute {@code url} of a resource elsewhere.
     */
    public record ReferenceValue(String type, String id, String url) implements SearchValue {
    }

    /** A uri, matched exactly. */
    public record UriValue(String uri) implements SearchValue {
    }

    /** {@code :missing=true|false}. */
    public record MissingValue(boolean missing) implements SearchValue {
    }

    /** The FHIR date comparison prefixes. */
    public enum DatePrefix {
        EQ, NE, GT, LT, GE, LE, SA, EB, AP
    }

    /**
     * The order of results: {@code _sort}'s keys in turn, then the storage order as a tie-breaker
     * (in the direction of the last key), which keeps pages stable.
     *
     * @param keys the keys, most significant first; none for the storage order only
     */
    public record Sort(List<SortKey> keys) {
        public static final Sort STORAGE_ORDER = new Sort(List.of());

        /** Whether ties (and the storage order) run descending. */
        public boolean descendingTies() {
            return !keys.isEmpty() && keys.get(keys.size() - 1).descending();
        }
    }

    /**
     * One key of {@code _sort}.
     *
     * @param parameter  {@code _id}, {@code _lastUpdated}, or a date, string or token parameter of the type
     * @param type       the parameter's type; null for {@code _id} and {@code _lastUpdated}
     * @param descending whether it sorts descending ({@code -} before its name)
     */
    public record SortKey(String parameter, RestSearchParameterTypeEnum type, boolean descending) {
    }

    /**
     * An {@code _include} or {@code _revinclude}.
     *
     * @param sourceType type holding the reference
     * @param param      reference parameter of the source type, or null for {@code *}
     * @param targetType type of referenced resource to restrict to, or null for any
     * @param iterate    whether it applies to included resources too ({@code :iterate})
     */
    public record Include(String sourceType, String param, String targetType, boolean iterate) {
    }
}

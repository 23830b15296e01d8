package org.newbornregistry.fhir.search;

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
     * The order of results. Every order ends with the storage order as a tie-breaker, which keeps
     * pages stable.
     *
     * @param column     resource-table column sorted on, or null for storage order only
     * @param descending whether the order is descending
     */
    public record Sort(String column, boolean descending) {
        public static final Sort STORAGE_ORDER = new Sort(null, false);
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

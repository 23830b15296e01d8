package org.newbornregistry.fhir.search;

import java.time.Instant;
import java.util.Set;

/**
 * The search rows of one resource version ({@code idx_*} tables), as the store writes them: what
 * its searches match on. Called rows, not an index, because "index" here means the national DNA
 * index. Each set is free of duplicates, so a value that occurs twice in a resource is one row.
 */
public record SearchRows(
        Set<Token> tokens,
        Set<Text> strings,
        Set<Dates> dates,
        Set<Ref> references,
        Set<Uri> uris) {

    /** A coded value or identifier; {@code system} is null when the value has none. */
    public record Token(String param, String system, String code) {
    }

    /** A string, normalised for the default and :contains searches and kept as-is for :exact. */
    public record Text(String param, String normalized, String exact) {
    }

    /** A date, dateTime, instant or Period as the range of instants it covers. */
    public record Dates(String param, Instant low, Instant high) {
    }

    /**
     * A reference: to a resource of this registry ({@code targetType}/{@code targetId}) or to an
     * absolute URL elsewhere ({@code targetUrl}).
     */
    public record Ref(String param, String targetType, String targetId, String targetUrl) {
    }

    /** A uri, url or canonical. */
    public record Uri(String param, String uri) {
    }
}

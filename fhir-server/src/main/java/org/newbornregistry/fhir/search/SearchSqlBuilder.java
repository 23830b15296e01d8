package org.newbornregistry.fhir.search;

import org.newbornregistry.fhir.search.SearchQuery.Criterion;
import org.newbornregistry.fhir.search.SearchQuery.DateValue;
import org.newbornregistry.fhir.search.SearchQuery.MissingValue;
import org.newbornregistry.fhir.search.SearchQuery.Modifier;
import org.newbornregistry.fhir.search.SearchQuery.ReferenceValue;
import org.newbornregistry.fhir.search.SearchQuery.SearchValue;
import org.newbornregistry.fhir.search.SearchQuery.StringValue;
import org.newbornregistry.fhir.search.SearchQuery.TokenValue;
import org.newbornregistry.fhir.search.SearchQuery.UriValue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Translates search criteria into a SQL condition on the resource table aliased {@code r}. Each
 * criterion becomes one {@code EXISTS} over its parameter's index table, so criteria AND and the
 * values inside one criterion OR, as FHIR search defines. Values are always bound, never spliced.
 */
final class SearchSqlBuilder {

    private final List<String> conditions = new ArrayList<>();
    private final List<Object> args = new ArrayList<>();

    /** The condition for all criteria of a query (true when there are none). */
    static SearchSqlBuilder forCriteria(String resourceType, List<Criterion> criteria) {
        SearchSqlBuilder builder = new SearchSqlBuilder();
        builder.add("r.res_type = ?", resourceType);
        builder.conditions.add("not r.deleted");
        for (Criterion criterion : criteria) {
            builder.criterion(criterion);
        }
        return builder;
    }

    String where() {
        return String.join(" and ", conditions);
    }

    List<Object> args() {
        return args;
    }

    /** Adds a further condition with its arguments. */
    void add(String condition, Object... values) {
        conditions.add(condition);
        args.addAll(List.of(values));
    }

    private void criterion(Criterion criterion) {
        IndexedSearchParameter param = criterion.param();
        if (param.name().equals(IndexedSearchParameter.ID)) {
            StringJoiner ids = new StringJoiner(", ", "r.res_id in (", ")");
            for (SearchValue value : criterion.anyOf()) {
                ids.add("?");
                args.add(((TokenValue) value).code());
            }
            conditions.add(ids.toString());
            return;
        }
        if (param.name().equals(IndexedSearchParameter.LAST_UPDATED)) {
            StringJoiner any = new StringJoiner(" or ", "(", ")");
            for (SearchValue value : criterion.anyOf()) {
                any.add(datePredicate((DateValue) value, "r.last_updated", "r.last_updated"));
            }
            conditions.add(any.toString());
            return;
        }

        Table table = Table.of(param);
        String exists = "exists (select 1 from " + table.name + " i where i.res_pid = r.pid"
                + " and i.res_type = ? and i.param = ?";
        if (criterion.modifier() == Modifier.MISSING) {
            StringJoiner any = new StringJoiner(" or ", "(", ")");
            for (SearchValue value : criterion.anyOf()) {
                any.add((((MissingValue) value).missing() ? "not " : "") + exists + ")");
                args.add(param.resourceType());
                args.add(param.name());
            }
            conditions.add(any.toString());
            return;
        }
        args.add(param.resourceType());
        args.add(param.name());
        StringJoiner any = new StringJoiner(" or ", "(", ")");
        for (SearchValue value : criterion.anyOf()) {
            any.add(valuePredicate(criterion.modifier(), value));
        }
        String condition = exists + " and " + any + ")";
        conditions.add(criterion.modifier() == Modifier.NOT ? "not " + condition : condition);
    }

    private String valuePredicate(Modifier modifier, SearchValue value) {
        if (value instanceof TokenValue token) {
            if (token.explicitNoSystem()) {
                args.add(token.code());
                return "(i.system is null and i.code = ?)";
            }
            if (token.system() == null) {
                args.add(token.code());
                return "i.code = ?";
            }
            if (token.code() == null) {
                args.add(token.system());
                return "i.system = ?";
            }
            args.add(token.code());
            args.add(token.system());
            return "(i.code = ? and i.system = ?)";
        }
        if (value instanceof StringValue string) {
            if (modifier == Modifier.EXACT) {
                args.add(string.value());
                return "i.value_exact = ?";
            }
            String normalized = likeEscape(SearchIndexExtractor.normalize(string.value()));
            args.add(modifier == Modifier.CONTAINS ? "%" + normalized + "%" : normalized + "%");
            return "i.value_normalized like ?";
        }
        if (value instanceof DateValue date) {
            return datePredicate(date, "i.low", "i.high");
        }
        if (value instanceof ReferenceValue reference) {
            if (reference.url() != null) {
                args.add(reference.url());
                return "i.target_url = ?";
            }
            args.add(reference.id());
            if (reference.type() == null) {
                return "i.target_id = ?";
            }
            args.add(reference.type());
            return "(i.target_id = ? and i.target_type = ?)";
        }
        if (value instanceof UriValue uri) {
            args.add(uri.uri());
            return "i.uri = ?";
        }
        throw new IllegalArgumentException("value kind " + value.getClass().getSimpleName());
    }

    /**
     * The FHIR date comparison of a stored range [low, high] with a searched range, per
     * <a href="https://hl7.org/fhir/R4/search.html#prefix">the prefix definitions</a>.
     */
    private String datePredicate(DateValue date, String low, String high) {
        OffsetDateTime from = utc(date.range().low());
        OffsetDateTime to = utc(date.range().high());
        return switch (date.prefix()) {
            case EQ -> bind("(" + low + " >= ? and " + high + " <= ?)", from, to);
            case NE -> bind("not (" + low + " >= ? and " + high + " <= ?)", from, to);
            case GT -> bind(high + " > ?", to);
            case LT -> bind(low + " < ?", from);
            // Why: R4 "ge" is "the range above the value overlaps the target, or the value contains it".
            case GE -> bind("(" + high + " > ? or (" + low + " >= ? and " + high + " <= ?))", to, from, to);
            case LE -> bind("(" + low + " < ? or (" + low + " >= ? and " + high + " <= ?))", from, from, to);
            case SA -> bind(low + " > ?", to);
            case EB -> bind(high + " < ?", from);
            case AP -> {
                // Why: the spec leaves "approximately" to the server; 10% of the distance to now, at least a day.
                Duration gap = Duration.between(date.range().low(), Instant.now()).abs().dividedBy(10);
                Duration slack = gap.compareTo(Duration.ofDays(1)) < 0 ? Duration.ofDays(1) : gap;
                yield bind("(" + low + " <= ? and " + high + " >= ?)",
                        utc(date.range().high().plus(slack)), utc(date.range().low().minus(slack)));
            }
        };
    }

    private String bind(String sql, Object... values) {
        args.addAll(List.of(values));
        return sql;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String likeEscape(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** The index table of each kind of parameter. */
    private enum Table {
        TOKEN("idx_token"), STRING("idx_string"), DATE("idx_date"), REFERENCE("idx_reference"), URI("idx_uri");

        private final String name;

        Table(String name) {
            this.name = name;
        }

        static Table of(IndexedSearchParameter param) {
            return switch (param.type()) {
                case TOKEN -> TOKEN;
                case STRING -> STRING;
                case DATE -> DATE;
                case REFERENCE -> REFERENCE;
                case URI -> URI;
                default -> throw new IllegalArgumentException("parameter kind " + param.type());
            };
        }
    }
}

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
import java.util.Set;
import java.util.StringJoiner;

/**
 * Translates search criteria into SQL over the resource table aliased {@code r}. Each criterion
 * becomes one {@code EXISTS} over its parameter's index table, so criteria AND and the values
 * inside one criterion OR, as FHIR search defines. Values are always bound, never spliced.
 *
 * <p>When a criterion is selective by its nature (a business identifier, a reference to one
 * resource, a uri) it drives the query instead: its matches are fetched first (a materialised
 * CTE) and the other criteria filter them. This keeps the plan right with prepared statements,
 * whose generic plans cannot see that one identifier value is rare and one LOINC code is not.
 */
final class SearchSqlBuilder {

    private static final Set<String> IDENTIFIER_LIKE = Set.of("identifier", "accession", "container-id", "requisition");

    private final List<String> conditions = new ArrayList<>();
    private final List<Object> args = new ArrayList<>();
    private String driver;
    private final List<Object> driverArgs = new ArrayList<>();

    /** The condition for all criteria of a query (true when there are none). */
    static SearchSqlBuilder forCriteria(String resourceType, List<Criterion> criteria) {
        SearchSqlBuilder builder = new SearchSqlBuilder();
        builder.add("r.res_type = ?", resourceType);
        builder.conditions.add("not r.deleted");
        Criterion driving = criteria.stream().filter(SearchSqlBuilder::isSelective).findFirst().orElse(null);
        if (driving != null) {
            builder.driver(driving);
        }
        for (Criterion criterion : criteria) {
            if (criterion != driving) {
                builder.criterion(criterion);
            }
        }
        return builder;
    }

    /** The {@code with} clause of the driving criterion, or an empty string. */
    String with() {
        return driver == null ? "" : "with driver as materialized (" + driver + ") ";
    }

    /** The resource table, joined to the driving criterion's matches when there is one. */
    String fromResource() {
        return driver == null ? " from resource r" : " from driver d join resource r on r.pid = d.res_pid";
    }

    String where() {
        return String.join(" and ", conditions);
    }

    /** Arguments of {@link #with()} followed by those of {@link #where()}, in statement order. */
    List<Object> args() {
        List<Object> all = new ArrayList<>(driverArgs);
        all.addAll(args);
        return all;
    }

    private static boolean isSelective(Criterion criterion) {
        IndexedSearchParameter param = criterion.param();
        if (criterion.modifier() != Modifier.NONE || param.isResourceColumn()) {
            return false;
        }
        return switch (param.type()) {
            case TOKEN -> IDENTIFIER_LIKE.contains(param.name())
                    && criterion.anyOf().stream().allMatch(v -> v instanceof TokenValue t && t.code() != null);
            case REFERENCE, URI -> true;
            default -> false;
        };
    }

    private void driver(Criterion criterion) {
        IndexedSearchParameter param = criterion.param();
        driverArgs.add(param.resourceType());
        driverArgs.add(param.name());
        StringJoiner any = new StringJoiner(" or ", "(", ")");
        for (SearchValue value : criterion.anyOf()) {
            any.add(valuePredicate(criterion.modifier(), value, driverArgs));
        }
        driver = "select distinct i.res_pid from " + Table.of(param).name
                + " i where i.res_type = ? and i.param = ? and " + any;
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
                any.add(datePredicate((DateValue) value, "r.last_updated", "r.last_updated", args));
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
            any.add(valuePredicate(criterion.modifier(), value, args));
        }
        String condition = exists + " and " + any + ")";
        conditions.add(criterion.modifier() == Modifier.NOT ? "not " + condition : condition);
    }

    private String valuePredicate(Modifier modifier, SearchValue value, List<Object> args) {
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
            String normalized = likeEscape(SearchRowExtractor.normalize(string.value()));
            args.add(modifier == Modifier.CONTAINS ? "%" + normalized + "%" : normalized + "%");
            return "i.value_normalized like ?";
        }
        if (value instanceof DateValue date) {
            return datePredicate(date, "i.low", "i.high", args);
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
    private String datePredicate(DateValue date, String low, String high, List<Object> args) {
        OffsetDateTime from = utc(date.range().low());
        OffsetDateTime to = utc(date.range().high());
        return switch (date.prefix()) {
            // Why "low <= to" too: implied (low <= high <= to), but it bounds the index range scan on (low, high) to the
            // searched range; without it a birth-date search reads every entry from that date on.
            case EQ -> bind(args, "(" + low + " >= ? and " + low + " <= ? and " + high + " <= ?)", from, to, to);
            case NE -> bind(args, "not (" + low + " >= ? and " + high + " <= ?)", from, to);
            case GT -> bind(args, high + " > ?", to);
            case LT -> bind(args, low + " < ?", from);
            // Why: R4 "ge" is "the range above the value overlaps the target, or the value contains it".
            case GE -> bind(args, "(" + high + " > ? or (" + low + " >= ? and " + high + " <= ?))", to, from, to);
            case LE -> bind(args, "(" + low + " < ? or (" + low + " >= ? and " + high + " <= ?))", from, from, to);
            case SA -> bind(args, low + " > ?", to);
            case EB -> bind(args, high + " < ?", from);
            case AP -> {
                // Why: the spec leaves "approximately" to the server; 10% of the distance to now, at least a day.
                Duration gap = Duration.between(date.range().low(), Instant.now()).abs().dividedBy(10);
                Duration slack = gap.compareTo(Duration.ofDays(1)) < 0 ? Duration.ofDays(1) : gap;
                yield bind(args, "(" + low + " <= ? and " + high + " >= ?)",
                        utc(date.range().high().plus(slack)), utc(date.range().low().minus(slack)));
            }
        };
    }

    private static String bind(List<Object> args, String sql, Object... values) {
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

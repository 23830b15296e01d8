package org.newbornregistry.fhir.search;

import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.RegistryErrors;
import org.newbornregistry.fhir.search.SearchQuery.Include;
import org.newbornregistry.fhir.search.SearchQuery.SortKey;
import org.newbornregistry.fhir.store.ResourceKey;
import org.newbornregistry.fhir.store.ResourceStore;
import org.newbornregistry.fhir.store.StoredResource;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapperResultSetExtractor;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs searches against the store: one page of matches after a keyset position, the total
 * count, and the resources that {@code _include} and {@code _revinclude} add to a page.
 */
public final class ResourceSearcher {

    private static final String COLUMNS = ResourceStore.VERSION_COLUMNS;
    private static final String JOIN_VERSION = " join resource_version v on v.res_pid = r.pid and v.version = r.version";
    private static final String FROM = " from resource r" + JOIN_VERSION;

    private final JdbcTemplate jdbc;
    private final SearchParameterRegistry registry;
    private final ResourceStore store;

    public ResourceSearcher(JdbcTemplate jdbc, SearchParameterRegistry registry, ResourceStore store) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.store = store;
    }

    /**
     * Matches of a query in its sort order, starting after {@code after}, each with its position
     * (where the next page starts when it is the last of a page).
     *
     * <p>Each {@code _sort} key is a column of the matches: a resource column, or the smallest
     * (ascending) or largest (descending) value the resource has for the parameter in its index,
     * as HAPI's JPA server sorts; resources without one come last in either direction. Pages
     * continue by key set: after the last match's keys and pid, so that a page is not shifted by
     * what was written since the first.
     *
     * @param after position of the last match of the previous page, or null
     * @param limit most matches to return
     */
    public List<Match> find(SearchQuery query, SearchPosition after, int limit) {
        SearchSqlBuilder sql = SearchSqlBuilder.forCriteria(query.resourceType(), query.criteria());
        List<SortKey> keys = query.sort().keys();
        boolean descendingTies = query.sort().descendingTies();
        StringBuilder columns = new StringBuilder(COLUMNS);
        for (int i = 0; i < keys.size(); i++) {
            columns.append(", ").append(expression(keys.get(i))).append(" as sort_").append(i);
        }
        List<Object> args = new ArrayList<>(sql.args());
        StringBuilder select = new StringBuilder(sql.with()).append("select * from (select ").append(columns)
                .append(sql.fromResource()).append(JOIN_VERSION).append(" where ").append(sql.where()).append(") q");
        if (after != null) {
            select.append(" where ").append(after(keys, descendingTies, after, args));
        }
        select.append(" order by ");
        for (int i = 0; i < keys.size(); i++) {
            select.append("sort_").append(i).append(keys.get(i).descending() ? " desc" : " asc").append(" nulls last, ");
        }
        select.append("pid ").append(descendingTies ? "desc" : "asc").append(" limit ?");
        args.add(limit);
        return jdbc.query(select.toString(), (rs, row) -> {
            StoredResource match = ResourceStore.STORED.mapRow(rs, row);
            List<String> values = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                values.add(isInstant(keys.get(i)) ? micros(rs.getObject("sort_" + i, OffsetDateTime.class)) : rs.getString("sort_" + i));
            }
            return new Match(match, new SearchPosition(values, match.pid()));
        }, args.toArray());
    }

    /** The SQL of a sort key's column, on the resource row {@code r}. */
    private static String expression(SortKey key) {
        if (key.type() == null) {
            return key.parameter().equals(IndexedSearchParameter.LAST_UPDATED) ? "r.last_updated" : "r.res_id";
        }
        String aggregate = key.descending() ? "max" : "min";
        // Why inlined: the name is the registry's own (checked against it by the parser), and a bound parameter in the
        // select list would have to come before the criteria's arguments.
        String param = "'" + key.parameter().replace("'", "''") + "'";
        return switch (key.type()) {
            case DATE -> "(select " + aggregate + "(d." + (key.descending() ? "high" : "low")
                    + ") from idx_date d where d.res_pid = r.pid and d.param = " + param + ")";
            case STRING -> "(select " + aggregate + "(s.value_normalized) from idx_string s where s.res_pid = r.pid and s.param = "
                    + param + ")";
            case TOKEN -> "(select " + aggregate + "(t.code) from idx_token t where t.res_pid = r.pid and t.param = " + param + ")";
            default -> throw new IllegalArgumentException("no sort on " + key.type());
        };
    }

    /**
     * Matches after a position: past it on the first key, or equal there and past it on the next,
     * ..., or equal on all and past its pid. Nulls come last in either direction, so nothing but
     * another null follows a null.
     */
    private static String after(List<SortKey> keys, boolean descendingTies, SearchPosition position, List<Object> args) {
        if (position.sortKeys().size() != keys.size()) {
            throw RegistryErrors.exception(NbrError.INVALID_SEARCH_VALUE, "_pageId is not a page of this listing");
        }
        List<String> alternatives = new ArrayList<>();
        StringBuilder equalSoFar = new StringBuilder();
        List<Object> equalArgs = new ArrayList<>();
        for (int i = 0; i <= keys.size(); i++) {
            boolean tie = i == keys.size();
            String column = tie ? "pid" : "sort_" + i;
            Object value = tie ? (Object) position.pid() : bindable(keys.get(i), position.sortKeys().get(i));
            boolean descending = tie ? descendingTies : keys.get(i).descending();
            if (value != null) {
                alternatives.add("(" + equalSoFar + "(" + column + (descending ? " < ?" : " > ?") + (tie ? "" : " or " + column + " is null") + "))");
                args.addAll(equalArgs);
                args.add(value);
            }
            if (!tie) {
                equalSoFar.append(value == null ? column + " is null and " : column + " = ? and ");
                if (value != null) {
                    equalArgs.add(value);
                }
            }
        }
        return "(" + String.join(" or ", alternatives) + ")";
    }

    private static Object bindable(SortKey key, String value) {
        if (value == null || !isInstant(key)) {
            return value;
        }
        try {
            long micros = Long.parseLong(value);
            Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
            return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
        } catch (NumberFormatException e) {
            throw RegistryErrors.exception(NbrError.INVALID_SEARCH_VALUE, "_pageId is not a page of this listing");
        }
    }

    private static boolean isInstant(SortKey key) {
        return key.type() == RestSearchParameterTypeEnum.DATE || IndexedSearchParameter.LAST_UPDATED.equals(key.parameter());
    }

    /**
     * Up to {@code limit} resources a condition (If-None-Exist, conditional update or delete,
     * conditional reference) matches. Unordered on purpose: with an ORDER BY and a LIMIT the
     * planner may walk every resource of the type in key order looking for one that is not
     * there, which is what a condition for a new record does.
     */
    public List<StoredResource> findForCondition(SearchQuery query, int limit) {
        List<Object> args = new ArrayList<>();
        String sql = conditionSql(query, limit, args);
        return jdbc.query(sql, ResourceStore.STORED, args.toArray());
    }

    /**
     * {@link #findForCondition}, after taking the transaction-scoped lock {@code lockKey} names
     * ({@code pg_advisory_xact_lock}): the lock and the search go to PostgreSQL in one round trip
     * as two statements, so the search, which takes its snapshot when it starts, sees whatever the
     * transaction that held the lock committed.
     */
    public List<StoredResource> findForConditionAfterLock(String lockKey, SearchQuery query, int limit) {
        List<Object> args = new ArrayList<>();
        args.add(lockKey);
        String statements = "select pg_advisory_xact_lock(hashtextextended(?, 0));\n" + conditionSql(query, limit, args);
        return jdbc.execute(statements, (PreparedStatement statement) -> {
            new ArgumentPreparedStatementSetter(args.toArray()).setValues(statement);
            statement.execute();
            if (!statement.getMoreResults()) {
                throw new IllegalStateException("the condition's search returned no result set");
            }
            try (ResultSet rows = statement.getResultSet()) {
                return new RowMapperResultSetExtractor<>(ResourceStore.STORED).extractData(rows);
            }
        });
    }

    /** The select of a condition's matches, at most {@code limit}; adds its arguments to {@code args}. */
    private static String conditionSql(SearchQuery query, int limit, List<Object> args) {
        SearchSqlBuilder sql = SearchSqlBuilder.forCriteria(query.resourceType(), query.criteria());
        args.addAll(sql.args());
        args.add(limit);
        return sql.with() + "select " + COLUMNS + sql.fromResource() + JOIN_VERSION + " where " + sql.where() + " limit ?";
    }

    /** How many resources a query matches. */
    public int count(SearchQuery query) {
        SearchSqlBuilder sql = SearchSqlBuilder.forCriteria(query.resourceType(), query.criteria());
        Integer count = jdbc.queryForObject(sql.with() + "select count(*)" + sql.fromResource() + " where " + sql.where(),
                Integer.class, sql.args().toArray());
        return count == null ? 0 : count;
    }

    /**
     * The resources that the query's {@code _include} and {@code _revinclude} directives add to a
     * page of matches, without the matches themselves, at most {@code limit} of them. Directives
     * with {@code :iterate} are applied again to what they added until nothing new comes.
     *
     * @return the included resources; {@code truncated} tells whether the limit cut the list
     */
    public Included includes(SearchQuery query, List<StoredResource> matches, int limit) {
        Map<ResourceKey, StoredResource> seen = new LinkedHashMap<>();
        matches.forEach(m -> seen.put(new ResourceKey(m.type(), m.id()), m));
        List<StoredResource> added = new ArrayList<>();
        List<StoredResource> round = matches;
        boolean first = true;
        // Why: collect one past the limit, so that "exactly the limit" and "cut at the limit" differ.
        while (!round.isEmpty() && added.size() <= limit) {
            List<StoredResource> next = new ArrayList<>();
            for (Include include : query.includes()) {
                if (first || include.iterate()) {
                    collect(forward(include, round), seen, next);
                }
            }
            for (Include include : query.revIncludes()) {
                if (first || include.iterate()) {
                    collect(reverse(include, round, limit), seen, next);
                }
            }
            added.addAll(next);
            round = next;
            first = false;
        }
        boolean truncated = added.size() > limit;
        return new Included(truncated ? List.copyOf(added.subList(0, limit)) : List.copyOf(added), truncated);
    }

    private static void collect(List<StoredResource> found, Map<ResourceKey, StoredResource> seen, List<StoredResource> out) {
        for (StoredResource resource : found) {
            if (seen.putIfAbsent(new ResourceKey(resource.type(), resource.id()), resource) == null) {
                out.add(resource);
            }
        }
    }

    private List<StoredResource> forward(Include include, List<StoredResource> sources) {
        long[] pids = sources.stream().filter(s -> s.type().equals(include.sourceType()))
                .mapToLong(StoredResource::pid).toArray();
        if (pids.length == 0) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder(
                "select distinct target_type, target_id from idx_reference where res_pid = any(?) and res_type = ?"
                        + " and target_type is not null");
        List<Object> args = new ArrayList<>(List.of(pids, include.sourceType()));
        if (include.param() != null) {
            sql.append(" and param = ?");
            args.add(include.param());
        }
        if (include.targetType() != null) {
            sql.append(" and target_type = ?");
            args.add(include.targetType());
        }
        Set<ResourceKey> targets = new LinkedHashSet<>(jdbc.query(sql.toString(),
                (rs, row) -> new ResourceKey(rs.getString(1), rs.getString(2)), args.toArray()));
        targets.removeIf(key -> !registry.isSupportedType(key.type()));
        return store.readCurrent(targets);
    }

    private List<StoredResource> reverse(Include include, List<StoredResource> targets, int limit) {
        List<StoredResource> eligible = targets.stream()
                .filter(t -> include.targetType() == null || t.type().equals(include.targetType()))
                .toList();
        if (eligible.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("select distinct " + COLUMNS + FROM
                + " join idx_reference x on x.res_pid = r.pid"
                + " where x.res_type = ? and not r.deleted"
                + " and (x.target_type, x.target_id) in (select * from unnest(?::varchar[], ?::varchar[]))");
        List<Object> args = new ArrayList<>(List.of(include.sourceType(),
                eligible.stream().map(StoredResource::type).toArray(String[]::new),
                eligible.stream().map(StoredResource::id).toArray(String[]::new)));
        if (include.param() != null) {
            sql.append(" and x.param = ?");
            args.add(include.param());
        } else {
            List<String> params = registry.parameters(include.sourceType()).stream()
                    .filter(p -> p.type() == RestSearchParameterTypeEnum.REFERENCE)
                    .map(IndexedSearchParameter::name).toList();
            sql.append(" and x.param = any(?)");
            args.add(params.toArray(String[]::new));
        }
        sql.append(" order by r.pid limit ?");
        args.add(limit + 1);
        return jdbc.query(sql.toString(), ResourceStore.STORED, args.toArray());
    }

    private static String micros(OffsetDateTime time) {
        if (time == null) {
            return null;
        }
        Instant instant = time.toInstant();
        return Long.toString(instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000L);
    }

    /** Resources added by includes; {@code truncated} when more would have been added than allowed. */
    public record Included(List<StoredResource> resources, boolean truncated) {
    }

    /** A match of a search and its position in the search's order. */
    public record Match(StoredResource resource, SearchPosition position) {
    }

    /**
     * A keyset position in a search's order: the values of the last match's sort keys (each
     * null where it has none; instants as microseconds) and its pid.
     */
    public record SearchPosition(List<String> sortKeys, long pid) {
    }
}

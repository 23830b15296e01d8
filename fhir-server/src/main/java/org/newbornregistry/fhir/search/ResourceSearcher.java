package org.newbornregistry.fhir.search;

import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import org.newbornregistry.fhir.search.SearchQuery.Include;
import org.newbornregistry.fhir.store.ResourceKey;
import org.newbornregistry.fhir.store.ResourceStore;
import org.newbornregistry.fhir.store.StoredResource;
import org.springframework.jdbc.core.JdbcTemplate;

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
     * Matches of a query in its sort order, starting after {@code after}.
     *
     * @param after position of the last match of the previous page, or null
     * @param limit most matches to return
     */
    public List<StoredResource> find(SearchQuery query, SearchPosition after, int limit) {
        SearchSqlBuilder sql = SearchSqlBuilder.forCriteria(query.resourceType(), query.criteria());
        SearchQuery.Sort sort = query.sort();
        String direction = sort.descending() ? "desc" : "asc";
        String comparison = sort.descending() ? "<" : ">";
        String sortColumn = sortColumn(sort);
        if (after != null) {
            if (sortColumn == null) {
                sql.add("r.pid " + comparison + " ?", after.pid());
            } else {
                sql.add("(" + sortColumn + ", r.pid) " + comparison + " (?, ?)", sortValue(sort, after), after.pid());
            }
        }
        String orderBy = sortColumn == null
                ? "r.pid " + direction
                : sortColumn + " " + direction + ", r.pid " + direction;
        List<Object> args = new ArrayList<>(sql.args());
        args.add(limit);
        return jdbc.query(sql.with() + "select " + COLUMNS + sql.fromResource() + JOIN_VERSION + " where " + sql.where()
                + " order by " + orderBy + " limit ?", ResourceStore.STORED, args.toArray());
    }

    /**
     * Up to {@code limit} resources a condition (If-None-Exist, conditional update or delete,
     * conditional reference) matches. Unordered on purpose: with an ORDER BY and a LIMIT the
     * planner may walk every resource of the type in key order looking for one that is not
     * there, which is what a condition for a new record does.
     */
    public List<StoredResource> findForCondition(SearchQuery query, int limit) {
        SearchSqlBuilder sql = SearchSqlBuilder.forCriteria(query.resourceType(), query.criteria());
        List<Object> args = new ArrayList<>(sql.args());
        args.add(limit);
        return jdbc.query(sql.with() + "select " + COLUMNS + sql.fromResource() + JOIN_VERSION + " where " + sql.where()
                + " limit ?", ResourceStore.STORED, args.toArray());
    }

    /** How many resources a query matches. */
    public int count(SearchQuery query) {
        SearchSqlBuilder sql = SearchSqlBuilder.forCriteria(query.resourceType(), query.criteria());
        Integer count = jdbc.queryForObject(sql.with() + "select count(*)" + sql.fromResource() + " where " + sql.where(),
                Integer.class, sql.args().toArray());
        return count == null ? 0 : count;
    }

    /** The position to continue after a match. */
    public static SearchPosition positionOf(SearchQuery.Sort sort, StoredResource match) {
        String key = switch (sort.column() == null ? "" : sort.column()) {
            case IndexedSearchParameter.LAST_UPDATED -> Long.toString(micros(match.lastUpdated()));
            case IndexedSearchParameter.ID -> match.id();
            default -> null;
        };
        return new SearchPosition(key, match.pid());
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

    private static String sortColumn(SearchQuery.Sort sort) {
        if (sort.column() == null) {
            return null;
        }
        return switch (sort.column()) {
            case IndexedSearchParameter.LAST_UPDATED -> "r.last_updated";
            case IndexedSearchParameter.ID -> "r.res_id";
            default -> throw new IllegalArgumentException("sort column " + sort.column());
        };
    }

    private static Object sortValue(SearchQuery.Sort sort, SearchPosition after) {
        if (IndexedSearchParameter.LAST_UPDATED.equals(sort.column())) {
            long micros = Long.parseLong(after.sortKey());
            Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
            return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
        }
        return after.sortKey();
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000L;
    }

    /** Resources added by includes; {@code truncated} when more would have been added than allowed. */
    public record Included(List<StoredResource> resources, boolean truncated) {
    }

    /**
     * A keyset position in a search's order: the sort key of the last match (null for storage
     * order) and its pid.
     */
    public record SearchPosition(String sortKey, long pid) {
    }
}

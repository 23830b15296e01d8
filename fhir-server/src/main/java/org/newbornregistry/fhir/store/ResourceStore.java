package org.newbornregistry.fhir.store;

import org.newbornregistry.fhir.search.SearchRows;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The SQL of the FHIR store (tables in {@code db/migration}). It knows rows, not FHIR rules:
 * callers run it inside a transaction and decide what a write means.
 */
public class ResourceStore {

    /** The columns {@link #STORED} reads, from {@code resource r} joined with {@code resource_version v}. */
    public static final String VERSION_COLUMNS =
            "r.pid, r.res_type, r.res_id, v.version, v.last_updated, v.method, v.content";

    /** Reads a {@link StoredResource} from {@link #VERSION_COLUMNS}. */
    public static final RowMapper<StoredResource> STORED = (rs, row) -> new StoredResource(
            rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
            rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), rs.getString(7));

    private final JdbcTemplate jdbc;
    private final ResourcePids pids;

    public ResourceStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.pids = new ResourcePids(jdbc);
    }

    /** The current row of a resource, locked until the transaction ends. */
    public Optional<ResourceRow> lockCurrent(ResourceKey key) {
        return jdbc.query(
                        "select pid, version, deleted, last_updated from resource where res_type = ? and res_id = ? for update",
                        (rs, row) -> new ResourceRow(rs.getLong(1), key, rs.getLong(2), rs.getBoolean(3),
                                rs.getObject(4, OffsetDateTime.class).toInstant()),
                        key.type(), key.id())
                .stream().findFirst();
    }

    /**
     * Inserts the row of a new logical resource, unless one with this type and id exists
     * (possibly not yet committed by another transaction).
     *
     * @return its pid, or empty if the id is taken
     */
    public Optional<Long> insertResource(ResourceKey key, long version, Instant lastUpdated, boolean deleted) {
        return jdbc.query("""
                        insert into resource (res_type, res_id, version, last_updated, deleted)
                        values (?, ?, ?, ?, ?)
                        on conflict (res_type, res_id) do nothing
                        returning pid""",
                (rs, row) -> rs.getLong(1),
                key.type(), key.id(), version, timestamp(lastUpdated), deleted).stream().findFirst();
    }

    /** A pid for a new resource, to insert it with {@link #insertPending} later in the transaction. */
    public long newPid() {
        return pids.next();
    }

    /** Moves a resource's current pointer to a new version. */
    public void updateResource(long pid, long version, Instant lastUpdated, boolean deleted) {
        jdbc.update("update resource set version = ?, last_updated = ?, deleted = ? where pid = ?",
                version, timestamp(lastUpdated), deleted, pid);
    }

    /** Appends a version; {@code content} is null for a deletion. */
    public void insertVersion(long pid, ResourceKey key, long version, Instant lastUpdated, String method, String content) {
        jdbc.update("""
                        insert into resource_version (res_pid, version, res_type, last_updated, method, content)
                        values (?, ?, ?, ?, ?, ?)""",
                pid, version, key.type(), timestamp(lastUpdated), method, content);
    }

    /**
     * Inserts new resources with their first versions (under pids from {@link #newPid}), and the
     * search index rows and local references of written versions: every table's rows in one
     * statement (each table's columns as arrays, unnested), so that a transaction's writes cost one
     * round trip however many resources and tables they touch.
     */
    public void insertPending(Collection<PendingCreate> creates, Collection<PendingIndex> indexes) {
        Columns resources = new Columns(6);
        for (PendingCreate create : creates) {
            resources.add(create.pid(), create.key().type(), create.key().id(), text(create.lastUpdated()), create.method(),
                    create.content());
        }
        Columns tokens = new Columns(5);
        Columns strings = new Columns(5);
        Columns dates = new Columns(5);
        Columns references = new Columns(6);
        Columns uris = new Columns(4);
        Columns links = new Columns(4);
        for (PendingIndex pending : indexes) {
            Long pid = pending.pid();
            String type = pending.type();
            SearchRows index = pending.index();
            index.tokens().forEach(t -> tokens.add(pid, type, t.param(), t.system(), t.code()));
            index.strings().forEach(x -> strings.add(pid, type, x.param(), x.normalized(), x.exact()));
            index.dates().forEach(d -> dates.add(pid, type, d.param(), text(d.low()), text(d.high())));
            index.references().forEach(r -> references.add(pid, type, r.param(), r.targetType(), r.targetId(), r.targetUrl()));
            index.uris().forEach(u -> uris.add(pid, type, u.param(), u.uri()));
            pending.links().forEach(l -> links.add(pid, l.path(), l.target().type(), l.target().id()));
        }
        if (resources.isEmpty() && tokens.isEmpty() && strings.isEmpty() && dates.isEmpty() && references.isEmpty() && uris.isEmpty() && links.isEmpty()) {
            return;
        }
        List<Object> args = new ArrayList<>();
        resources.appendTo(args);
        tokens.appendTo(args);
        strings.appendTo(args);
        dates.appendTo(args);
        references.appendTo(args);
        uris.appendTo(args);
        links.appendTo(args);
        jdbc.query("""
                with created as (select * from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::timestamptz[], ?::varchar[], ?::text[])
                                 as c (pid, res_type, res_id, last_updated, method, content)),
                     resources as (insert into resource (pid, res_type, res_id, version, last_updated, deleted)
                                   overriding system value
                                   select pid, res_type, res_id, 1, last_updated, false from created),
                     versions as (insert into resource_version (res_pid, version, res_type, last_updated, method, content)
                                  select pid, 1, res_type, last_updated, method, content from created),
                     tokens as (insert into idx_token (res_pid, res_type, param, system, code)
                                select * from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::text[], ?::text[])),
                     strings as (insert into idx_string (res_pid, res_type, param, value_normalized, value_exact)
                                 select * from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[])),
                     dates as (insert into idx_date (res_pid, res_type, param, low, high)
                               select * from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::timestamptz[], ?::timestamptz[])),
                     refs as (insert into idx_reference (res_pid, res_type, param, target_type, target_id, target_url)
                              select * from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[])),
                     uris as (insert into idx_uri (res_pid, res_type, param, uri)
                              select * from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::text[])),
                     links as (insert into resource_link (res_pid, path, target_type, target_id)
                               select * from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[]))
                select 1""", rs -> null, args.toArray());
    }

    /** Removes every search index row and local reference of a resource, in one statement. */
    public void deleteSearchRows(long pid) {
        jdbc.query("""
                with tokens as (delete from idx_token where res_pid = ?),
                     strings as (delete from idx_string where res_pid = ?),
                     dates as (delete from idx_date where res_pid = ?),
                     refs as (delete from idx_reference where res_pid = ?),
                     uris as (delete from idx_uri where res_pid = ?),
                     links as (delete from resource_link where res_pid = ?)
                select 1""", rs -> null, pid, pid, pid, pid, pid, pid);
    }

    /**
     * Claims business identifiers, all in one statement. Identifiers already held by another
     * resource of the same type are not taken; they are returned with their holder. Waits for a
     * concurrent transaction that holds one of them until it ends.
     */
    public List<IdentifierConflict> insertIdentifiers(List<IdentifierClaim> claims) {
        if (claims.isEmpty()) {
            return List.of();
        }
        Set<List<String>> inserted = new HashSet<>(jdbc.query("""
                        insert into business_identifier (res_type, system, value, res_pid)
                        select * from unnest(?::varchar[], ?::text[], ?::text[], ?::bigint[])
                        on conflict (res_type, system, value) do nothing
                        returning res_type, system, value""",
                (rs, row) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)),
                claims.stream().map(IdentifierClaim::type).toArray(String[]::new),
                claims.stream().map(c -> c.identifier().system()).toArray(String[]::new),
                claims.stream().map(c -> c.identifier().value()).toArray(String[]::new),
                claims.stream().mapToLong(IdentifierClaim::pid).toArray()));
        List<IdentifierConflict> conflicts = new ArrayList<>();
        for (IdentifierClaim claim : claims) {
            if (inserted.contains(List.of(claim.type(), claim.identifier().system(), claim.identifier().value()))) {
                continue;
            }
            String holder = jdbc.query("""
                            select r.res_id from business_identifier b join resource r on r.pid = b.res_pid
                            where b.res_type = ? and b.system = ? and b.value = ?""",
                    (rs, row) -> rs.getString(1), claim.type(), claim.identifier().system(), claim.identifier().value())
                    .stream().findFirst()
                    // Why: the holder let go of it between our insert and this read; trying again will succeed.
                    .orElseThrow(() -> new ConcurrencyFailureException("identifier released concurrently"));
            conflicts.add(new IdentifierConflict(claim, new ResourceKey(claim.type(), holder)));
        }
        return conflicts;
    }

    /** Releases the business identifiers of resources. */
    public void deleteIdentifiers(Collection<Long> pids) {
        if (!pids.isEmpty()) {
            jdbc.update("delete from business_identifier where res_pid = any(?)", (Object) pids.stream().mapToLong(Long::longValue).toArray());
        }
    }

    /** Releases the business identifiers of a resource. */
    public void deleteIdentifiers(long pid) {
        jdbc.update("delete from business_identifier where res_pid = ?", pid);
    }

    /** The current version of a resource, deleted or not. */
    public Optional<StoredResource> readCurrent(ResourceKey key) {
        return jdbc.query("select " + VERSION_COLUMNS + """
                         from resource r join resource_version v on v.res_pid = r.pid and v.version = r.version
                        where r.res_type = ? and r.res_id = ?""",
                STORED, key.type(), key.id()).stream().findFirst();
    }

    /** One version of a resource. */
    public Optional<StoredResource> readVersion(ResourceKey key, long version) {
        return jdbc.query("select " + VERSION_COLUMNS + """
                         from resource r join resource_version v on v.res_pid = r.pid
                        where r.res_type = ? and r.res_id = ? and v.version = ?""",
                STORED, key.type(), key.id(), version).stream().findFirst();
    }

    /** The current, not deleted versions of the given resources (those that exist). */
    public List<StoredResource> readCurrent(Collection<ResourceKey> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        return jdbc.query("select " + VERSION_COLUMNS + """
                         from resource r join resource_version v on v.res_pid = r.pid and v.version = r.version
                        where (r.res_type, r.res_id) in (select * from unnest(?::varchar[], ?::varchar[]))
                          and not r.deleted""",
                STORED, types(keys), ids(keys));
    }

    /**
     * Which of the given resources exist and are not deleted, locking them against deletion until
     * the transaction ends (a key-share lock, which a concurrent delete's row lock waits for, so
     * a reference checked here cannot be left dangling by a delete committing alongside).
     */
    public Set<ResourceKey> existingLockedAgainstDelete(Collection<ResourceKey> keys) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.query("""
                        select res_type, res_id from resource
                        where (res_type, res_id) in (select * from unnest(?::varchar[], ?::varchar[]))
                          and not deleted
                        for key share""",
                (rs, row) -> new ResourceKey(rs.getString(1), rs.getString(2)), types(keys), ids(keys)));
    }

    /** Of these live resources, those that are not in this organisation's custody (no custodian tag naming it). */
    public Set<ResourceKey> outsideCustodyOf(Collection<ResourceKey> keys, String organisation) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.query("""
                        select r.res_type, r.res_id from resource r
                        where (r.res_type, r.res_id) in (select * from unnest(?::varchar[], ?::varchar[])) and not r.deleted
                          and not exists (select 1 from idx_token t where t.res_pid = r.pid and t.param = '_tag'
                                          and t.system = ? and t.code = ?)""",
                (rs, row) -> new ResourceKey(rs.getString(1), rs.getString(2)), types(keys), ids(keys),
                Custodian.TAG_SYSTEM, organisation));
    }

    /** Live resources that reference any of the given ones, at most {@code limit}. */
    public List<Referral> referralsTo(Collection<ResourceKey> targets, int limit) {
        if (targets.isEmpty()) {
            return List.of();
        }
        return jdbc.query("""
                        select distinct r.res_type, r.res_id, l.path, l.target_type, l.target_id
                          from resource_link l join resource r on r.pid = l.res_pid
                         where (l.target_type, l.target_id) in (select * from unnest(?::varchar[], ?::varchar[]))
                           and not r.deleted
                         limit ?""",
                (rs, row) -> new Referral(new ResourceKey(rs.getString(1), rs.getString(2)), rs.getString(3),
                        new ResourceKey(rs.getString(4), rs.getString(5))),
                types(targets), ids(targets), limit);
    }

    /**
     * Versions of one resource ({@code key} set) or of a whole type, newest first.
     *
     * @param since  only versions written at or after this instant, or null
     * @param offset versions to skip
     */
    public List<StoredResource> history(String type, ResourceKey key, Instant since, int offset, int limit) {
        HistoryFilter filter = new HistoryFilter(type, key, since);
        List<Object> args = new ArrayList<>(filter.args);
        args.add(offset);
        args.add(limit);
        return jdbc.query("select " + VERSION_COLUMNS + filter.from
                        + " order by v.last_updated desc, v.res_pid desc, v.version desc offset ? limit ?",
                STORED, args.toArray());
    }

    /** How many versions {@link #history} lists in all. */
    public int countHistory(String type, ResourceKey key, Instant since) {
        HistoryFilter filter = new HistoryFilter(type, key, since);
        Integer count = jdbc.queryForObject("select count(*)" + filter.from, Integer.class, filter.args.toArray());
        return count == null ? 0 : count;
    }

    /** An instant as PostgreSQL reads a timestamptz, for arrays of them. */
    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String[] types(Collection<ResourceKey> keys) {
        return keys.stream().map(ResourceKey::type).toArray(String[]::new);
    }

    private static String[] ids(Collection<ResourceKey> keys) {
        return keys.stream().map(ResourceKey::id).toArray(String[]::new);
    }

    /** The rows for one table, column by column, as the arrays an {@code unnest} insert takes. */
    private static final class Columns {
        private final List<List<Object>> columns = new ArrayList<>();

        Columns(int count) {
            for (int i = 0; i < count; i++) {
                columns.add(new ArrayList<>());
            }
        }

        void add(Object... row) {
            for (int i = 0; i < row.length; i++) {
                columns.get(i).add(row[i]);
            }
        }

        boolean isEmpty() {
            return columns.get(0).isEmpty();
        }

        /** The columns as arguments: the first (the resource's pid) as {@code long[]}, the rest as {@code String[]}. */
        void appendTo(List<Object> args) {
            args.add(columns.get(0).stream().mapToLong(pid -> (Long) pid).toArray());
            for (List<Object> column : columns.subList(1, columns.size())) {
                args.add(column.toArray(String[]::new));
            }
        }
    }

    /** The current-version row of a logical resource. */
    public record ResourceRow(long pid, ResourceKey key, long version, boolean deleted, Instant lastUpdated) {
    }

    /** A business identifier a resource (by pid) claims. */
    public record IdentifierClaim(long pid, String type, BusinessIdentifier identifier) {
    }

    /** A claimed identifier that another resource already holds. */
    public record IdentifierConflict(IdentifierClaim claim, ResourceKey holder) {
    }

    /** A new resource and its first version, waiting to be inserted. */
    public record PendingCreate(long pid, ResourceKey key, Instant lastUpdated, String method, String content) {
    }

    /** The index rows and local references of one written version, waiting to be inserted. */
    public record PendingIndex(long pid, String type, SearchRows index, Set<Link> links) {
    }

    /** A live resource whose element at {@code path} refers to {@code target}. */
    public record Referral(ResourceKey source, String path, ResourceKey target) {
    }

    /** A local reference of a resource: the element at {@code path} refers to {@code target}. */
    public record Link(String path, ResourceKey target) {
    }

    /** The FROM and WHERE of a history listing with its arguments. */
    private static final class HistoryFilter {
        final String from;
        final List<Object> args = new ArrayList<>();

        HistoryFilter(String type, ResourceKey key, Instant since) {
            StringBuilder sql = new StringBuilder(
                    " from resource_version v join resource r on r.pid = v.res_pid where v.res_type = ?");
            args.add(type);
            if (key != null) {
                sql.append(" and r.res_id = ?");
                args.add(key.id());
            }
            if (since != null) {
                sql.append(" and v.last_updated >= ?");
                args.add(timestamp(since));
            }
            from = sql.toString();
        }
    }
}

package org.newbornregistry.fhir.store;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Hands out pids for new resources from blocks of the {@code resource.pid} identity sequence,
 * which steps by {@value #BLOCK} (migration V17): one {@code nextval} per {@value #BLOCK} new
 * resources instead of one round trip each, so a new resource's rows can wait in its
 * {@link WriteSession} and reach the database with the rest of the transaction's rows. Pids of a
 * block that is not used up (a rollback, a restart) are skipped, as a sequence's are after a
 * rollback. Every instance sharing the database takes blocks of its own.
 */
final class ResourcePids {

    /** The identity sequence's increment, set by migration V17. */
    static final int BLOCK = 50;

    private final JdbcTemplate jdbc;
    private long next;
    private long end;

    ResourcePids(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A pid no other resource has or will get. */
    synchronized long next() {
        if (next == end) {
            Long start = jdbc.queryForObject("select nextval(pg_get_serial_sequence('resource', 'pid'))", Long.class);
            next = start == null ? 0 : start;
            end = next + BLOCK;
        }
        return next++;
    }
}

package org.newbornregistry.fhir.search;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps what a paged search was run with, so that its next-page links can be served by any
 * instance sharing the database, after a restart too, until they expire.
 */
public final class SearchCursorStore {

    private final JdbcTemplate jdbc;

    public SearchCursorStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a definition and returns the id its links carry. */
    public String save(String definition) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into search_cursor (id, definition, created) values (?, ?, ?)",
                id, definition, OffsetDateTime.now(ZoneOffset.UTC));
        return id.toString();
    }

    /** The definition stored under an id, if it exists. */
    public Optional<String> find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return jdbc.query("select definition from search_cursor where id = ?",
                (rs, row) -> rs.getString(1), uuid).stream().findFirst();
    }

    /** Removes definitions created before a moment; returns how many. */
    public int deleteCreatedBefore(Instant moment) {
        return jdbc.update("delete from search_cursor where created < ?", OffsetDateTime.ofInstant(moment, ZoneOffset.UTC));
    }
}

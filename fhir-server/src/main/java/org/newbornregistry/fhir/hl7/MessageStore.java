package org.newbornregistry.fhir.hl7;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.newbornregistry.adapter.hl7.MessageHeader;
import org.newbornregistry.fhir.database.PostgresText;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The HL7 message store (table {@code hl7_message}). A message is claimed by its sending
 * facility and control id before it is processed; a second arrival of the same key finds the
 * first instead of being processed again, waiting for it if it is still being processed.
 * Operators list, inspect and replay messages through the queries below; listings never read the
 * bytes of a message.
 */
public class MessageStore {

    private static final RowMapper<StoredMessage> STORED = (rs, row) -> new StoredMessage(
            rs.getLong("id"), rs.getObject("received", OffsetDateTime.class).toInstant(), rs.getString("status"),
            rs.getString("ack_code"), rs.getString("ack"), rs.getBytes("content_hash"));

    private static final String METADATA_COLUMNS = """
            id, received, sending_application, sending_facility, control_id, message_type, trigger_event, version,
            status, ack_code, problems, resources, replay_count, last_processed, raw is not null as raw_available""";
    private static final TypeReference<List<MessageRecord.Problem>> PROBLEMS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> RESOURCES = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    public MessageStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a message as being processed, unless one with the same key exists.
     *
     * @param dedupeKey sending facility and control id, or null when they could not be read
     * @return the new message's id, or empty when the key is taken (see {@link #findByKey})
     */
    public Optional<Long> claim(String dedupeKey, byte[] contentHash, MessageHeader header, byte[] raw, Instant now) {
        return jdbc.query("""
                        insert into hl7_message (dedupe_key, content_hash, received, sending_application, sending_facility,
                                                 control_id, message_type, trigger_event, version, status, raw, last_processed)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PROCESSING', ?, ?)
                        on conflict (dedupe_key) do nothing
                        returning id""",
                (rs, row) -> rs.getLong(1),
                PostgresText.storable(dedupeKey), contentHash, utc(now), PostgresText.storable(header.sendingApplication()), PostgresText.storable(header.sendingFacility()),
                PostgresText.storable(header.controlId()), PostgresText.storable(header.messageType()), PostgresText.storable(header.triggerEvent()),
                PostgresText.storable(header.version()), raw, utc(now)).stream().findFirst();
    }

    /** The message stored under a key. */
    public Optional<StoredMessage> findByKey(String dedupeKey) {
        return jdbc.query("select * from hl7_message where dedupe_key = ?", STORED, PostgresText.storable(dedupeKey)).stream().findFirst();
    }

    /** A message by id. */
    public Optional<StoredMessage> find(long id) {
        return jdbc.query("select * from hl7_message where id = ?", STORED, id).stream().findFirst();
    }

    /** Records how a message was answered. */
    public void complete(long id, String status, String ackCode, String ack, String problemsJson, String resourcesJson,
                         Instant now) {
        jdbc.update("""
                        update hl7_message set status = ?, ack_code = ?, ack = ?, problems = ?, resources = ?, last_processed = ?
                        where id = ?""",
                status, ackCode, PostgresText.storable(ack), PostgresText.storable(problemsJson), resourcesJson, utc(now), id);
    }

    /**
     * A position in the listing, newest first: the received time and id of the last message of a page.
     *
     * @param received when that message arrived
     * @param id       its id, which orders messages received in the same microsecond
     */
    public record Position(Instant received, long id) {
    }

    /**
     * Messages matching a filter, newest first.
     *
     * @param after where the previous page ended, or null for the first page
     * @param limit the most messages to return
     */
    public List<MessageRecord> list(MessageFilter filter, Position after, int limit) {
        Where where = where(filter);
        if (after != null) {
            where.add("(received, id) < (?, ?)", utc(after.received()), after.id());
        }
        where.args.add(limit);
        return jdbc.query("select " + METADATA_COLUMNS + " from hl7_message" + where.sql()
                + " order by received desc, id desc limit ?", this::metadata, where.args.toArray());
    }

    /** A message's record with the ACK that was sent, without its bytes. */
    public Optional<MessageRecord> record(long id) {
        return jdbc.query("select " + METADATA_COLUMNS + ", ack from hl7_message where id = ?",
                (rs, row) -> withAck(metadata(rs, row), rs.getString("ack")), id).stream().findFirst();
    }

    /**
     * The bytes of a message as received.
     *
     * @return empty if there is no message with this id; a {@link Raw} without bytes once the
     * retention period has passed
     */
    public Optional<Raw> raw(long id) {
        return jdbc.query("select id, control_id, status, ack_code, raw from hl7_message where id = ?",
                (rs, row) -> new Raw(rs.getLong("id"), rs.getString("control_id"), rs.getString("status"),
                        rs.getString("ack_code"), rs.getBytes("raw")), id).stream().findFirst();
    }

    /**
     * A message's bytes with what an operator needs to know about it before replaying them.
     *
     * @param id        store id
     * @param controlId MSH-10, for logs
     * @param status    its status now
     * @param ackCode   the code of the ACK sent now
     * @param bytes     the bytes as received, or null once the retention period has passed
     */
    public record Raw(long id, String controlId, String status, String ackCode, byte[] bytes) {
    }

    /**
     * Ids of messages matching a filter that can be replayed (bytes kept, processing finished),
     * oldest first: replaying them in the order they arrived keeps later updates on top.
     */
    public List<Long> replayable(MessageFilter filter, int limit) {
        Where where = replayableWhere(filter);
        where.args.add(limit);
        return jdbc.queryForList("select id from hl7_message" + where.sql() + " order by received, id limit ?",
                Long.class, where.args.toArray());
    }

    /** How many messages matching a filter can be replayed. */
    public int countReplayable(MessageFilter filter) {
        Where where = replayableWhere(filter);
        Integer count = jdbc.queryForObject("select count(*) from hl7_message" + where.sql(), Integer.class,
                where.args.toArray());
        return count == null ? 0 : count;
    }

    /**
     * Locks a message's row for a replay, so that replays of one message run one after the other.
     *
     * @return the id, or empty if there is no such message
     */
    public Optional<Long> lockForReplay(long id) {
        return jdbc.query("select id from hl7_message where id = ? for update", (rs, row) -> rs.getLong(1), id)
                .stream().findFirst();
    }

    /**
     * Records how a replayed message was answered and counts the replay.
     *
     * @param resourcesJson what the replay wrote, or null to keep the record of what earlier
     *                      processing wrote (a refused replay writes nothing, and takes nothing back)
     */
    public void completeReplay(long id, String status, String ackCode, String ack, String problemsJson,
                               String resourcesJson, Instant now) {
        jdbc.update("""
                        update hl7_message set status = ?, ack_code = ?, ack = ?, problems = ?, resources = coalesce(?, resources),
                                               replay_count = replay_count + 1, last_processed = ?
                        where id = ?""",
                status, ackCode, PostgresText.storable(ack), PostgresText.storable(problemsJson), resourcesJson, utc(now), id);
    }

    /** Deletes the bytes of messages processed before a moment; returns how many. */
    public int forgetRawBefore(Instant moment) {
        return jdbc.update("update hl7_message set raw = null where raw is not null and status <> 'PROCESSING' and last_processed < ?",
                utc(moment));
    }

    /**
     * Deletes the bytes of every message that wrote a version of a resource, for its erasure: the
     * message's metadata stays, its content (which carried the erased data) cannot be replayed.
     *
     * @return how many messages lost their bytes
     */
    public int forgetRawOf(String type, String id) {
        return jdbc.update("""
                update hl7_message set raw = null where raw is not null and exists (
                    select 1 from jsonb_array_elements_text(resources::jsonb) written where written like ?)""",
                type + "/" + id + "/%");
    }

    private MessageRecord metadata(ResultSet rs, int row) throws SQLException {
        return new MessageRecord(rs.getLong("id"), rs.getObject("received", OffsetDateTime.class).toInstant(),
                rs.getString("sending_application"), rs.getString("sending_facility"), rs.getString("control_id"),
                rs.getString("message_type"), rs.getString("trigger_event"), rs.getString("version"),
                rs.getString("status"), rs.getString("ack_code"), read(rs.getString("problems"), PROBLEMS),
                read(rs.getString("resources"), RESOURCES), rs.getInt("replay_count"),
                rs.getObject("last_processed", OffsetDateTime.class).toInstant(), rs.getBoolean("raw_available"), null);
    }

    private static MessageRecord withAck(MessageRecord m, String ack) {
        return new MessageRecord(m.id(), m.received(), m.sendingApplication(), m.sendingFacility(), m.controlId(),
                m.messageType(), m.triggerEvent(), m.version(), m.status(), m.ackCode(), m.problems(), m.resources(),
                m.replayCount(), m.lastProcessed(), m.rawAvailable(), ack);
    }

    private <T> List<T> read(String value, TypeReference<List<T>> type) {
        if (value == null) {
            return List.of();
        }
        try {
            return Collections.unmodifiableList(json.readValue(value, type));
        } catch (JsonProcessingException e) {
            // Why: Jackson's message quotes the column; the cause stays out of logs with it.
            throw new IllegalStateException("message store JSON column cannot be read");
        }
    }

    private static Where replayableWhere(MessageFilter filter) {
        Where where = where(filter);
        where.add("raw is not null");
        where.add("status <> 'PROCESSING'");
        return where;
    }

    private static Where where(MessageFilter filter) {
        Where where = new Where();
        if (!filter.statuses().isEmpty()) {
            where.add("status = any(?)", (Object) filter.statuses().toArray(String[]::new));
        }
        if (!filter.ackCodes().isEmpty()) {
            where.add("ack_code = any(?)", (Object) filter.ackCodes().toArray(String[]::new));
        }
        if (filter.messageType() != null) {
            where.add("message_type = ?", filter.messageType());
        }
        if (filter.triggerEvent() != null) {
            where.add("trigger_event = ?", filter.triggerEvent());
        }
        if (filter.sendingFacility() != null) {
            where.add("(sending_facility = ? or split_part(sending_facility, '^', 1) = ?)",
                    filter.sendingFacility(), filter.sendingFacility());
        }
        if (filter.controlId() != null) {
            where.add("control_id = ?", filter.controlId());
        }
        if (filter.receivedFrom() != null) {
            where.add("received >= ?", utc(filter.receivedFrom()));
        }
        if (filter.receivedTo() != null) {
            where.add("received < ?", utc(filter.receivedTo()));
        }
        if (filter.errorCode() != null) {
            where.add("problems::jsonb @> jsonb_build_array(jsonb_build_object('code', ?::text))", filter.errorCode());
        }
        return where;
    }

    /** A WHERE clause and its arguments, built up criterion by criterion. */
    private static final class Where {
        private final List<String> clauses = new ArrayList<>();
        private final List<Object> args = new ArrayList<>();

        void add(String clause, Object... values) {
            clauses.add(clause);
            args.addAll(List.of(values));
        }

        String sql() {
            return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

package org.newbornregistry.fhir.messages;

import org.newbornregistry.adapter.hl7.MessageHeader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The HL7 message store (table {@code hl7_message}). A message is claimed by its sending
 * facility and control id before it is processed; a second arrival of the same key finds the
 * first instead of being processed again, waiting for it if it is still being processed.
 */
public class MessageStore {

    private static final RowMapper<StoredMessage> STORED = (rs, row) -> new StoredMessage(
            rs.getLong("id"), rs.getObject("received", OffsetDateTime.class).toInstant(), rs.getString("status"),
            rs.getString("ack_code"), rs.getString("ack"), rs.getBytes("content_hash"));

    private final JdbcTemplate jdbc;

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
                dedupeKey, contentHash, utc(now), header.sendingApplication(), header.sendingFacility(), header.controlId(),
                header.messageType(), header.triggerEvent(), header.version(), raw, utc(now)).stream().findFirst();
    }

    /** The message stored under a key. */
    public Optional<StoredMessage> findByKey(String dedupeKey) {
        return jdbc.query("select * from hl7_message where dedupe_key = ?", STORED, dedupeKey).stream().findFirst();
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
                status, ackCode, ack, problemsJson, resourcesJson, utc(now), id);
    }

    /** Deletes the bytes of messages processed before a moment; returns how many. */
    public int forgetRawBefore(Instant moment) {
        return jdbc.update("update hl7_message set raw = null where raw is not null and status <> 'PROCESSING' and last_processed < ?",
                utc(moment));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

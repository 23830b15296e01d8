package org.newbornregistry.fhir.hl7.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.newbornregistry.fhir.error.Problems;
import org.newbornregistry.fhir.hl7.InboundMessageService;
import org.newbornregistry.fhir.hl7.MessageNotFoundException;
import org.newbornregistry.fhir.hl7.MessageRecord;
import org.newbornregistry.fhir.hl7.MessageStore;
import org.newbornregistry.fhir.hl7.RawMessageGoneException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The operators' HTTP API over the HL7 v2 message store: list and filter messages, read one
 * with the ACK that answered it, fetch its bytes, and replay one message or a filtered set
 * through the same intake and write path as MLLP (after a mapping or data fix, for example).
 *
 * <p>Listings and single messages carry metadata only; the bytes, which hold personal data, only
 * come from {@code /raw}. Logs name store ids, control ids and codes. Errors are RFC 9457
 * problem details ({@link MessageAdminProblems}).
 *
 * <p>Needs the {@code nbr/admin} scope (the admin role).
 */
@RestController
@RequestMapping("/admin/hl7/messages")
public class MessageAdminController {

    private static final Logger LOG = LoggerFactory.getLogger(MessageAdminController.class);
    /** The media type of the bytes of an HL7 v2 message in ER7 (pipe) encoding. */
    static final MediaType HL7_V2 = MediaType.parseMediaType("application/hl7-v2");

    private final MessageStore store;
    private final InboundMessageService inbound;

    public MessageAdminController(MessageStore store, InboundMessageService inbound) {
        this.store = store;
        this.inbound = inbound;
    }

    /** {@code GET /admin/hl7/messages}: messages matching the filters, newest first, a page at a time. */
    @GetMapping
    public MessagePage list(@RequestParam MultiValueMap<String, String> parameters) {
        AdminQuery query = AdminQuery.parse(parameters, AdminQuery.Use.LIST);
        int limit = query.limit() == null ? AdminQuery.DEFAULT_LIMIT : query.limit();
        List<MessageRecord> found = store.list(query.filter(), query.after(), limit + 1);
        List<MessageView> page = found.stream().limit(limit).map(MessageView::of).toList();
        String next = null;
        if (found.size() > limit) {
            MessageView last = page.get(page.size() - 1);
            next = ServletUriComponentsBuilder.fromCurrentRequest()
                    .replaceQueryParam("cursor", AdminQuery.cursor(new MessageStore.Position(last.received(), last.id())))
                    .build().toUriString();
        }
        return new MessagePage(page, next);
    }

    /** {@code GET /admin/hl7/messages/{id}}: one message's metadata and the ACK it was answered with. */
    @GetMapping("/{id}")
    public MessageDetail read(@PathVariable("id") String id, @RequestParam MultiValueMap<String, String> parameters) {
        AdminQuery.parse(parameters, AdminQuery.Use.READ);
        long messageId = messageId(id);
        MessageRecord record = store.record(messageId).orElseThrow(() -> new MessageNotFoundException(messageId));
        return new MessageDetail(MessageView.of(record), record.ack());
    }

    /** {@code GET /admin/hl7/messages/{id}/raw}: the bytes as received. Personal data: for operators only. */
    @GetMapping("/{id}/raw")
    public ResponseEntity<byte[]> raw(@PathVariable("id") String id, @RequestParam MultiValueMap<String, String> parameters) {
        AdminQuery.parse(parameters, AdminQuery.Use.READ);
        long messageId = messageId(id);
        MessageStore.Raw raw = store.raw(messageId).orElseThrow(() -> new MessageNotFoundException(messageId));
        if (raw.bytes() == null) {
            throw MessageAdminProblems.rawGone(HttpStatus.NOT_FOUND, messageId,
                    "its record is kept, its bytes are not; the sender must resend them if they are needed again");
        }
        LOG.info("Bytes of message {} ({}) read through the admin API", messageId, raw.controlId());
        return ResponseEntity.ok()
                .contentType(HL7_V2)
                .cacheControl(CacheControl.noStore())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", ContentDisposition.attachment()
                        .filename("hl7-message-" + messageId + ".hl7").build().toString())
                .body(raw.bytes());
    }

    /** {@code POST /admin/hl7/messages/{id}/$replay}: processes one message again from its bytes. */
    @PostMapping("/{id}/$replay")
    public ReplayView replayOne(@PathVariable("id") String id, @RequestParam MultiValueMap<String, String> parameters) {
        AdminQuery.parse(parameters, AdminQuery.Use.REPLAY_ONE);
        long messageId = messageId(id);
        try {
            return ReplayView.of(inbound.replay(messageId));
        } catch (RawMessageGoneException e) {
            throw MessageAdminProblems.rawGone(HttpStatus.CONFLICT, messageId,
                    "it cannot be replayed; the sender must resend it");
        }
    }

    /**
     * {@code POST /admin/hl7/messages/$replay}: processes again, oldest first, up to {@code limit}
     * messages matching the filters whose bytes are kept. Without filters, {@code all=true} is required.
     */
    @PostMapping("/$replay")
    public ReplayBatch replay(@RequestParam MultiValueMap<String, String> parameters) {
        AdminQuery query = AdminQuery.parse(parameters, AdminQuery.Use.REPLAY);
        if (query.limit() == null) {
            throw Problems.invalidParameter("limit", "is required: the most messages to replay in this request, 1 to "
                    + AdminQuery.MAX_LIMIT);
        }
        if (query.filter().isEmpty() && !query.all()) {
            throw MessageAdminProblems.unfilteredReplay();
        }
        int replayable = store.countReplayable(query.filter());
        List<ReplayView> replayed = new ArrayList<>();
        for (long messageId : store.replayable(query.filter(), query.limit())) {
            try {
                replayed.add(ReplayView.of(inbound.replay(messageId)));
            } catch (RawMessageGoneException e) {
                // Why: the retention reaper deleted the bytes after the selection; there is nothing to replay.
                LOG.info("Message {} skipped by replay: its bytes were deleted meanwhile", messageId);
            } catch (DataAccessException e) {
                throw MessageAdminProblems.replayInterrupted(e, replayed);
            }
        }
        LOG.info("Replay by filter: {} of {} replayable messages replayed", replayed.size(), replayable);
        return new ReplayBatch(replayable, replayed);
    }

    private static long messageId(String id) {
        try {
            long value = Long.parseLong(id);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Problems.invalidParameter("id", "must be a message id (a positive whole number)");
    }

    /**
     * A message's metadata, never its bytes.
     *
     * @param type MSH-9.1 and MSH-9.2, for example {@code ADT^A01}
     * @see MessageRecord the other fields
     */
    public record MessageView(long id, Instant received, String sendingApplication, String sendingFacility,
                              String controlId, String type, String version, String status, String ackCode,
                              List<MessageRecord.Problem> problems, List<String> resources, int replayCount,
                              Instant lastProcessed, boolean rawAvailable) {

        static MessageView of(MessageRecord m) {
            return new MessageView(m.id(), m.received(), m.sendingApplication(), m.sendingFacility(), m.controlId(),
                    m.messageType() + "^" + m.triggerEvent(), m.version(), m.status(), m.ackCode(), m.problems(),
                    m.resources(), m.replayCount(), m.lastProcessed(), m.rawAvailable());
        }
    }

    /**
     * One message's metadata and the ACK last built for it (sent to its sender, or built by a replay).
     *
     * @param ack the ACK, segments separated by CR
     */
    public record MessageDetail(@JsonUnwrapped MessageView message, String ack) {
    }

    /**
     * A page of a listing.
     *
     * @param next the URL of the next page, absent on the last page
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessagePage(List<MessageView> messages, String next) {
    }

    /**
     * What a replay did to one message.
     *
     * @param replayCount replays of the message so far, this one included
     */
    public record ReplayView(long id, String controlId, Outcome before, Outcome after, int replayCount) {

        static ReplayView of(InboundMessageService.Replay replay) {
            return new ReplayView(replay.messageId(), replay.controlId(),
                    new Outcome(replay.statusBefore(), replay.ackCodeBefore()),
                    new Outcome(replay.statusAfter(), replay.ackCodeAfter()), replay.replayCount());
        }
    }

    /** A message's status and ACK code. */
    public record Outcome(String status, String ackCode) {
    }

    /**
     * What a replay by filter did.
     *
     * @param replayable messages matching the filters that could be replayed, before this request;
     *                   more than {@code replayed} holds when {@code limit} cut the set
     * @param replayed   the messages replayed, oldest first
     */
    public record ReplayBatch(int replayable, List<ReplayView> replayed) {
    }
}

package org.newbornregistry.fhir.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.newbornregistry.adapter.audit.RestAuditEvents;
import org.newbornregistry.fhir.audit.AuditTrail;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.AckFactory;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.adapter.hl7.Hl7Problem;
import org.newbornregistry.adapter.hl7.MessageHeader;
import org.newbornregistry.adapter.mapping.Intake;
import org.newbornregistry.adapter.mapping.V2Intake;
import org.newbornregistry.fhir.database.GroupCommit;
import org.newbornregistry.fhir.error.SafeThrowables;
import org.newbornregistry.fhir.store.RegistryWriteService;
import org.newbornregistry.fhir.store.WriteOrigin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HL7 v2 entrance of the write path, whatever transport brought the message: map it, commit
 * its resources together with its record in the message store, and only then build the ACK.
 * <ul>
 *   <li>AA: the resources and the message are committed.</li>
 *   <li>AE / AR: nothing but the message, its problems and the ACK is committed, so the message
 *       can be replayed after a fix.</li>
 *   <li>A message whose sending facility and MSH-10 were seen before gets the original ACK and
 *       writes nothing; the same key with other content is refused (AR).</li>
 *   <li>When the database cannot be reached nothing is stored and the answer is AR (the sender
 *       may resend), never AA.</li>
 *   <li>A message that the connection which delivered it may not send (see {@link SenderCheck}) is
 *       answered AR, kept as refused with a security audit event, and never processed.</li>
 *   <li>An operator may {@link #replay} a stored message: the same path again on the same row.</li>
 * </ul>
 * Messages that arrive while the database writers are busy (several connections at once) are
 * written several to a transaction ({@link GroupCommit}): each under a savepoint of its own, so a
 * message the registry refuses is rolled back and recorded alone while the others commit, and each
 * is answered once the transaction holding it has committed. A connection waits for its ACK before
 * its next message is read, so the order of one connection's messages is kept.
 * Logs carry the store id, MSH-10 and codes, never message content.
 */
public class InboundMessageService {

    private static final Logger LOG = LoggerFactory.getLogger(InboundMessageService.class);
    /** MDC key of the message control id, as camel-mllp's own logging and STYLE.md name it. */
    public static final String MDC_MESSAGE_ID = "nbr.msgId";

    private final V2Intake intake;
    private final AckFactory acks;
    private final MessageStore store;
    private final RegistryWriteService writes;
    private final AuditTrail audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final MessageMetrics metrics;
    private final GroupCommit<Arrival, Receipt> arrivals;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param groupCommit how messages arriving at the same moment share a transaction
     */
    public InboundMessageService(V2Intake intake, AckFactory acks, MessageStore store, RegistryWriteService writes,
                                 AuditTrail audit, TransactionTemplate transactions, Clock clock, MessageMetrics metrics,
                                 Hl7Properties.GroupCommit groupCommit) {
        this.intake = intake;
        this.acks = acks;
        this.store = store;
        this.writes = writes;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.metrics = metrics;
        this.arrivals = new GroupCommit<>(this::write, groupCommit.writers(), groupCommit.maxMessages());
        metrics.waiting(arrivals::queued);
    }

    /** What became of a received message. */
    public record Receipt(String ack, AcknowledgmentCode ackCode, Long messageId, boolean duplicate) {
    }

    /** Processes a received message and returns the ACK to send back. */
    public Receipt receive(byte[] raw) {
        return receive(raw, SenderCheck.ANYONE);
    }

    /**
     * Processes a message received over a connection that knows its peer, and returns the ACK to
     * send back: {@code senders} decides, from the header, whether the connection may send the
     * message at all before anything else happens to it. Every message is counted here with its
     * ACK code ({@link MessageMetrics}); one that fails unexpectedly as AR, which its transport answers.
     */
    public Receipt receive(byte[] raw, SenderCheck senders) {
        Intake read = metrics.mapping().record(() -> intake.read(raw));
        MDC.put(MDC_MESSAGE_ID, read.header().controlId());
        AcknowledgmentCode answered = AcknowledgmentCode.AR;
        try {
            Receipt receipt = receiveRead(read, raw, senders);
            answered = receipt.ackCode();
            return receipt;
        } finally {
            metrics.received(read.header(), answered);
            MDC.remove(MDC_MESSAGE_ID);
        }
    }

    /**
     * A message whose transport frame was larger than the transport reads: its first bytes are
     * kept (refused AR {@code NBR-1002} at MSH, with the frame's length), nothing is processed, and a
     * replay refuses it again, because the rest of it was never read.
     *
     * @param prefix     the bytes that were read
     * @param frameBytes how long the frame was
     */
    public Receipt refuseTooLarge(byte[] prefix, long frameBytes) {
        Hl7Problem problem = new Hl7Problem(NbrError.CONTENT_TOO_LARGE, Hl7Location.segment("MSH", 1), tooLarge(frameBytes, prefix.length));
        Intake read = intake.readHeader(prefix, problem);
        MDC.put(MDC_MESSAGE_ID, read.header().controlId());
        try {
            Receipt receipt = storeRefusal(read.header(), new ArrivedRow(read, prefix), read.problems());
            metrics.received(read.header(), receipt.ackCode());
            return receipt;
        } finally {
            MDC.remove(MDC_MESSAGE_ID);
        }
    }

    private static String tooLarge(long frameBytes, int kept) {
        return "the message's frame of " + frameBytes + " bytes is over the listener's limit; its first " + kept
                + " bytes are kept and the rest was not read: split the message, or ask for the limit to be raised";
    }

    private Receipt receiveRead(Intake read, byte[] raw, SenderCheck senders) {
        try {
            Optional<SenderCheck.Refusal> refusal = senders.check(read.header());
            if (refusal.isPresent()) {
                return refuseSender(read, raw, refusal.get());
            }
            return arrivals.submit(new Arrival(read, new ArrivedRow(read, raw)));
        } catch (DataAccessException e) {
            LOG.error("Message {} could not be stored, answered AR: {}", read.header().controlId(), SafeThrowables.describe(e));
            List<Hl7Problem> problems = List.of(new Hl7Problem(NbrError.SERVICE_UNAVAILABLE, null,
                    "the registry cannot store messages at the moment; send again later"));
            return new Receipt(acks.ack(read.header(), AcknowledgmentCode.AR, problems, clock.instant()),
                    AcknowledgmentCode.AR, null, false);
        }
    }

    /**
     * How a replay changed a message.
     *
     * @param messageId     store id
     * @param controlId     MSH-10
     * @param statusBefore  status before the replay
     * @param ackCodeBefore ACK code before the replay
     * @param statusAfter   status after the replay
     * @param ackCodeAfter  code of the ACK the replay built (stored, not sent to anyone)
     * @param replayCount   how often the message has been replayed, this replay included
     */
    public record Replay(long messageId, String controlId, String statusBefore, String ackCodeBefore,
                         String statusAfter, String ackCodeAfter, int replayCount) {
    }

    /**
     * Processes a stored message again from its bytes, for example after a mapping or data fix:
     * the same intake and write path as {@link #receive}, without the resend check, in one
     * transaction that writes the resources and updates the message's own record (status, ACK,
     * problems, resources, replay count). The mapping writes by business identifier, so a
     * replay of an accepted message leaves one set of resources.
     *
     * @throws MessageNotFoundException  if there is no message with this id
     * @throws RawMessageGoneException   if the message's bytes were deleted after the retention period
     * @throws DataAccessException       if the database cannot be reached; nothing changed
     */
    public Replay replay(long id) {
        MessageStore.Raw stored = store.raw(id).orElseThrow(() -> new MessageNotFoundException(id));
        if (stored.bytes() == null) {
            throw new RawMessageGoneException(id);
        }
        MDC.put(MDC_MESSAGE_ID, stored.controlId());
        try {
            Optional<Hl7Problem> refused = refusedForGood(id);
            Intake read = refused.filter(p -> p.error() == NbrError.CONTENT_TOO_LARGE)
                    .map(p -> intake.readHeader(stored.bytes(), p)).orElseGet(() -> intake.read(stored.bytes()));
            Receipt receipt = refused.isPresent()
                    ? storeRefusal(read.header(), new ReplayedRow(id), List.of(refused.get()))
                    : process(read, new ReplayedRow(id));
            MessageRecord after = store.record(id).orElseThrow(() -> new MessageNotFoundException(id));
            return new Replay(id, stored.controlId(), stored.status(), stored.ackCode(), after.status(),
                    receipt.ackCode().name(), after.replayCount());
        } finally {
            MDC.remove(MDC_MESSAGE_ID);
        }
    }

    /** A message that has just arrived and may be sent by its connection, waiting to be written. */
    private record Arrival(Intake read, ArrivedRow row) {
    }

    /**
     * Writes messages that arrived at the same moment in one transaction, each under its own
     * savepoint (see {@link RegistryWriteService}); a message whose records the registry refuses is
     * rolled back to its savepoint and recorded as refused in the same transaction. Anything else
     * that fails (the database) fails the group, which {@link GroupCommit} then writes message by
     * message. A single message takes the path it always took: its own transaction, retried on a
     * lost lock race.
     */
    private List<Receipt> write(List<Arrival> group) {
        if (group.size() == 1) {
            Receipt receipt = process(group.get(0).read(), group.get(0).row());
            metrics.wrote(1);
            return List.of(receipt);
        }
        String leadersMessage = MDC.get(MDC_MESSAGE_ID);
        try {
            List<Receipt> receipts = transactions.execute(tx -> {
                List<Receipt> written = new ArrayList<>(group.size());
                for (Arrival arrival : group) {
                    MDC.put(MDC_MESSAGE_ID, arrival.read().header().controlId());
                    written.add(process(arrival.read(), arrival.row()));
                }
                return written;
            });
            metrics.wrote(group.size());
            return receipts;
        } finally {
            if (leadersMessage == null) {
                MDC.remove(MDC_MESSAGE_ID);
            } else {
                MDC.put(MDC_MESSAGE_ID, leadersMessage);
            }
        }
    }

    /** The message store row a run of {@link #process} records its outcome in. */
    private interface Row {
        /** Takes the row inside the current transaction; empty when another message holds its key. */
        Optional<Long> claim(Instant now);

        /** Records the outcome; {@code resourcesJson} is null when nothing was written. */
        void complete(long id, String status, String ackCode, String ack, String problemsJson, String resourcesJson,
                      Instant now);

        /** The answer when the row could not be claimed. */
        Receipt taken();

        /** What happened to the message, for the log, followed by its id: "stored as", "replayed, id". */
        String verb();
    }

    /** A new row for a message that has just arrived, unless its sending facility and MSH-10 were seen before. */
    private final class ArrivedRow implements Row {
        private final MessageHeader header;
        private final String key;
        private final byte[] hash;
        private final byte[] raw;

        ArrivedRow(Intake read, byte[] raw) {
            this.header = read.header();
            this.key = dedupeKey(header);
            this.hash = contentHash(read.text());
            this.raw = raw;
        }

        @Override
        public Optional<Long> claim(Instant now) {
            return store.claim(key, hash, header, raw, now);
        }

        @Override
        public void complete(long id, String status, String ackCode, String ack, String problemsJson,
                             String resourcesJson, Instant now) {
            store.complete(id, status, ackCode, ack, problemsJson, resourcesJson == null ? "[]" : resourcesJson, now);
        }

        @Override
        public Receipt taken() {
            return duplicate(key, hash, header);
        }

        @Override
        public String verb() {
            return "stored as";
        }
    }

    /** The existing row of a message being replayed, locked so that replays of one message do not overlap. */
    private final class ReplayedRow implements Row {
        private final long id;

        ReplayedRow(long id) {
            this.id = id;
        }

        @Override
        public Optional<Long> claim(Instant now) {
            return Optional.of(store.lockForReplay(id).orElseThrow(() -> new MessageNotFoundException(id)));
        }

        @Override
        public void complete(long id, String status, String ackCode, String ack, String problemsJson,
                             String resourcesJson, Instant now) {
            store.completeReplay(id, status, ackCode, ack, problemsJson, resourcesJson, now);
        }

        @Override
        public Receipt taken() {
            throw new IllegalStateException("a replayed message's row is always there");
        }

        @Override
        public String verb() {
            return "replayed, id";
        }
    }

    private Receipt process(Intake read, Row row) {
        MessageHeader header = read.header();
        if (read.accepted()) {
            try {
                return writes.unitOfWork(origin(header), work -> {
                    Instant now = clock.instant();
                    Optional<Long> claimed = row.claim(now);
                    if (claimed.isEmpty()) {
                        return row.taken();
                    }
                    Bundle response = work.transaction(read.mapped().transaction());
                    String ack = acks.ack(header, AcknowledgmentCode.AA, read.problems(), now);
                    row.complete(claimed.get(), "ACCEPTED", "AA", ack, problems(read.problems()), resources(response), now);
                    audit.record(event(header, "AA", claimed.get(), response.getEntry().stream()
                            .map(e -> e.getResponse().getLocation()).filter(Objects::nonNull).toList(), now));
                    LOG.info("Message {} {} {}: AA, {} resources, {} warnings", MessageHeader.loggable(header.controlId()), row.verb(),
                            claimed.get(), response.getEntry().size(), read.problems().size());
                    return new Receipt(ack, AcknowledgmentCode.AA, claimed.get(), false);
                });
            } catch (BaseServerResponseException e) {
                List<Hl7Problem> problems = new ArrayList<>(read.problems());
                problems.add(problemOf(e));
                return storeRefusal(header, row, problems);
            }
        }
        return storeRefusal(header, row, read.problems());
    }

    /**
     * Who a message writes as: a lab's result (ORU) reaches across organisations, as a lab's token
     * does; every other message family is a hospital's, confined to its own records.
     */
    static WriteOrigin origin(MessageHeader header) {
        return "ORU".equals(header.messageType())
                ? WriteOrigin.labMessage(header.sendingOrganisation())
                : WriteOrigin.hospitalMessage(header.sendingOrganisation());
    }

    /**
     * Records a message its connection may not send, refused AR, together with its security audit
     * event, in one transaction. The record does not claim the sender's key (sending facility and
     * MSH-10): a connection claiming another facility must not take that facility's control ids, so
     * the real sender's message with the same MSH-10 is still processed.
     */
    private Receipt refuseSender(Intake read, byte[] raw, SenderCheck.Refusal refusal) {
        MessageHeader header = read.header();
        List<Hl7Problem> problems = List.of(refusal.problem());
        return writes.unitOfWork(work -> {
            Instant now = clock.instant();
            long id = store.claim(null, contentHash(read.text()), header, raw, now).orElseThrow();
            String ack = acks.ack(header, AcknowledgmentCode.AR, problems, now);
            store.complete(id, "REFUSED", "AR", ack, problems(problems), "[]", now);
            audit.record(refusal.auditEvent().apply(id));
            LOG.info("Message {} stored as {}: AR [{}], its connection may not send for its sender; security event recorded",
                    MessageHeader.loggable(header.controlId()), id, refusal.problem().error().code());
            return new Receipt(ack, AcknowledgmentCode.AR, id, false);
        });
    }

    /**
     * The problem a stored message was refused with for good, if it was: because its connection
     * could not send it, or because only its first bytes were read. Such a message is never
     * processed; a replay refuses it again.
     */
    private Optional<Hl7Problem> refusedForGood(long id) {
        return store.record(id).stream().flatMap(m -> m.problems().stream())
                .filter(p -> NbrError.HL7_SENDER_NOT_AUTHORISED.code().equals(p.code())
                        || NbrError.CONTENT_TOO_LARGE.code().equals(p.code()))
                .findFirst()
                .map(p -> NbrError.CONTENT_TOO_LARGE.code().equals(p.code())
                        ? new Hl7Problem(NbrError.CONTENT_TOO_LARGE, Hl7Location.segment("MSH", 1), p.message())
                        : new Hl7Problem(NbrError.HL7_SENDER_NOT_AUTHORISED, senderField(p.location()), p.message()));
    }

    private static Hl7Location senderField(String location) {
        return switch (location == null ? "" : location) {
            case "MSH-3" -> Hl7Location.field("MSH", 3);
            case "MSH-4" -> Hl7Location.field("MSH", 4);
            default -> null;
        };
    }

    /** Records a message that is answered AE or AR, in its own transaction. */
    private Receipt storeRefusal(MessageHeader header, Row row, List<Hl7Problem> problems) {
        AcknowledgmentCode code = problems.stream().anyMatch(p -> p.error().ackCode() == AcknowledgmentCode.AR)
                ? AcknowledgmentCode.AR : AcknowledgmentCode.AE;
        return transactions.execute(tx -> {
            Instant now = clock.instant();
            Optional<Long> claimed = row.claim(now);
            if (claimed.isEmpty()) {
                return row.taken();
            }
            String ack = acks.ack(header, code, problems, now);
            row.complete(claimed.get(), code == AcknowledgmentCode.AR ? "REFUSED" : "REJECTED", code.name(), ack,
                    problems(problems), null, now);
            audit.record(event(header, code.name(), claimed.get(), List.of(), now));
            LOG.info("Message {} {} {}: {} {}", MessageHeader.loggable(header.controlId()), row.verb(), claimed.get(), code,
                    problems.stream().filter(p -> !p.isWarning()).map(p -> p.error().code()).toList());
            return new Receipt(ack, code, claimed.get(), false);
        });
    }

    /**
     * The audit event of a message (IHE BALP-style import), recorded with the message's own record:
     * every message received is in the audit log with its ACK code.
     */
    private static AuditEvent event(MessageHeader header, String ackCode, Long messageId, List<String> resources, Instant now) {
        return RestAuditEvents.hl7Message(now, header.messageType(), header.triggerEvent(), header.sendingApplication(),
                header.sendingFacility(), header.controlId(), ackCode, messageId, resources);
    }

    private Receipt duplicate(String key, byte[] hash, MessageHeader header) {
        StoredMessage original = store.findByKey(key).orElseThrow();
        if (Arrays.equals(original.contentHash(), hash) && original.ack() != null) {
            LOG.info("Message {} is a resend of {}; original ACK returned", MessageHeader.loggable(header.controlId()), original.id());
            audit.record(event(header, original.ackCode(), original.id(), List.of(), clock.instant()));
            return new Receipt(original.ack(), AcknowledgmentCode.valueOf(original.ackCode()), original.id(), true);
        }
        LOG.warn("Message {} reuses the control id of {} with other content; refused", MessageHeader.loggable(header.controlId()), original.id());
        List<Hl7Problem> problems = List.of(new Hl7Problem(NbrError.HL7_DUPLICATE_CONTROL_ID, null,
                "this sending facility sent another message with this MSH-10 before"));
        audit.record(event(header, "AR", original.id(), List.of(), clock.instant()));
        return new Receipt(acks.ack(header, AcknowledgmentCode.AR, problems, clock.instant()), AcknowledgmentCode.AR,
                original.id(), true);
    }

    private static Hl7Problem problemOf(BaseServerResponseException e) {
        NbrError error = NbrError.INTERNAL_ERROR;
        String message = "the registry refused the message's records";
        if (e.getOperationOutcome() instanceof OperationOutcome outcome && outcome.hasIssue()) {
            String code = outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode();
            error = Arrays.stream(NbrError.values()).filter(n -> n.code().equals(code)).findFirst().orElse(error);
            message = outcome.getIssueFirstRep().getDiagnostics();
        }
        return new Hl7Problem(error, null, message);
    }

    static String dedupeKey(MessageHeader header) {
        if (header.controlId().isEmpty()) {
            return null;
        }
        return header.sendingFacility() + "|" + header.controlId();
    }

    /** SHA-256 of the decoded message with MSH-7 blanked: a resend may carry a new send time. */
    static byte[] contentHash(String text) {
        String withoutTime = MessageHeader.withoutSendTime(text);
        try {
            return MessageDigest.getInstance("SHA-256").digest(withoutTime.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private String problems(List<Hl7Problem> problems) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Hl7Problem problem : problems) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("code", problem.error().code());
            row.put("severity", problem.isWarning() ? "W" : "E");
            row.put("location", problem.location() == null ? null : problem.location().toString());
            row.put("message", problem.message());
            rows.add(row);
        }
        return write(rows);
    }

    private String resources(Bundle response) {
        return write(response.getEntry().stream().map(e -> e.getResponse().getLocation()).toList());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write message store JSON", e);
        }
    }
}

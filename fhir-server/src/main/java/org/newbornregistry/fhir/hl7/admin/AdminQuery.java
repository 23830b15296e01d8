package org.newbornregistry.fhir.hl7.admin;

import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.Problems;
import org.newbornregistry.fhir.hl7.MessageFilter;
import org.newbornregistry.fhir.hl7.MessageStore;
import org.newbornregistry.fhir.search.DateRange;
import org.springframework.util.MultiValueMap;

import java.nio.ByteBuffer;
import java.time.DateTimeException;
import org.newbornregistry.fhir.search.DateRange;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The query parameters of the message admin API, read strictly: an unknown parameter, a repeated
 * one or a value that does not fit is refused rather than ignored, because an ignored filter
 * on a replay would replay more than the operator meant.
 *
 * @param filter the message filter the parameters describe
 * @param limit  {@code limit}, or null when not given
 * @param after  where the previous page ended ({@code cursor}), or null
 * @param all    {@code all=true}: the operator means every message
 */
record AdminQuery(MessageFilter filter, Integer limit, MessageStore.Position after, boolean all) {

    /** Listing page size without {@code limit}. */
    static final int DEFAULT_LIMIT = 50;
    /** Largest {@code limit} of a listing or a replay. */
    static final int MAX_LIMIT = 500;

    static final Set<String> STATUSES = Set.of("PROCESSING", "ACCEPTED", "REJECTED", "REFUSED");
    static final Set<String> ACK_CODES = Set.of("AA", "AE", "AR");
    static final List<String> FILTERS = List.of("status", "ackCode", "messageType", "triggerEvent", "sendingFacility",
            "controlId", "receivedFrom", "receivedTo", "errorCode");

    /** Which parameters besides the filters a request takes. */
    enum Use {
        LIST(Set.of("limit", "cursor")),
        REPLAY(Set.of("limit", "all")),
        REPLAY_ONE(Set.of()),
        READ(Set.of());

        private final Set<String> extra;

        Use(Set<String> extra) {
            this.extra = extra;
        }

        boolean takesFilters() {
            return this == LIST || this == REPLAY;
        }
    }

    /** Reads the parameters of a request. */
    static AdminQuery parse(MultiValueMap<String, String> parameters, Use use) {
        List<String> accepted = new ArrayList<>(use.takesFilters() ? FILTERS : List.of());
        accepted.addAll(use.extra.stream().sorted().toList());
        for (var entry : parameters.entrySet()) {
            String name = entry.getKey();
            if (!accepted.contains(name)) {
                throw Problems.invalidParameter(name, accepted.isEmpty()
                        ? "is not known: this request takes no parameters"
                        : "is not known: this request takes " + String.join(", ", accepted));
            }
            if (entry.getValue().size() > 1) {
                throw Problems.invalidParameter(name, "is given more than once; a list of statuses or ACK codes is comma-separated");
            }
        }
        MessageFilter filter = new MessageFilter(
                codes(parameters, "status", STATUSES),
                codes(parameters, "ackCode", ACK_CODES),
                text(parameters, "messageType"),
                text(parameters, "triggerEvent"),
                text(parameters, "sendingFacility"),
                text(parameters, "controlId"),
                instant(parameters, "receivedFrom"),
                instant(parameters, "receivedTo"),
                errorCode(parameters));
        if (filter.receivedFrom() != null && filter.receivedTo() != null
                && !filter.receivedFrom().isBefore(filter.receivedTo())) {
            throw Problems.invalidParameter("receivedTo", "must be later than receivedFrom");
        }
        return new AdminQuery(filter, limit(parameters), cursor(parameters), bool(parameters, "all"));
    }

    /** The opaque {@code cursor} value of the page after the one ending at {@code last}. */
    static String cursor(MessageStore.Position last) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, last.received());
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(ByteBuffer.allocate(16).putLong(micros).putLong(last.id()).array());
    }

    private static MessageStore.Position cursor(MultiValueMap<String, String> parameters) {
        String value = text(parameters, "cursor");
        if (value == null) {
            return null;
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(value);
            if (bytes.length != 16) {
                throw new IllegalArgumentException("wrong length");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new MessageStore.Position(Instant.EPOCH.plus(buffer.getLong(), ChronoUnit.MICROS), buffer.getLong());
        } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
            throw Problems.invalidParameter("cursor", "is not one this API issued; follow the next link of a listing");
        }
    }

    private static Set<String> codes(MultiValueMap<String, String> parameters, String name, Set<String> allowed) {
        String value = text(parameters, name);
        if (value == null) {
            return Set.of();
        }
        Set<String> codes = new LinkedHashSet<>();
        for (String part : value.split(",", -1)) {
            String code = part.trim().toUpperCase(Locale.ROOT);
            if (!allowed.contains(code)) {
                throw Problems.invalidParameter(name, "must be one or more (comma-separated) of "
                        + allowed.stream().sorted().collect(Collectors.joining(", ")));
            }
            codes.add(code);
        }
        return codes;
    }

    private static String errorCode(MultiValueMap<String, String> parameters) {
        String value = text(parameters, "errorCode");
        if (value != null && Arrays.stream(NbrError.values()).noneMatch(e -> e.code().equals(value))) {
            throw Problems.invalidParameter("errorCode", "must be a registry error code such as NBR-3001");
        }
        return value;
    }

    private static Instant instant(MultiValueMap<String, String> parameters, String name) {
        String value = text(parameters, name);
        if (value == null) {
            return null;
        }
        try {
            Instant instant = Instant.parse(value);
            if (DateRange.storable(instant)) {
                return instant;
            }
        } catch (DateTimeException e) {
            // answered below
        }
        throw Problems.invalidParameter(name, "must be an ISO-8601 instant between the years 0001 and 9999, such as 2024-05-01T00:00:00Z");
    }

    private static Integer limit(MultiValueMap<String, String> parameters) {
        String value = text(parameters, "limit");
        if (value == null) {
            return null;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Problems.invalidParameter("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static boolean bool(MultiValueMap<String, String> parameters, String name) {
        String value = text(parameters, name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw Problems.invalidParameter(name, "must be true or false");
    }

    private static String text(MultiValueMap<String, String> parameters, String name) {
        String value = parameters.getFirst(name);
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw Problems.invalidParameter(name, "must not be empty");
        }
        return value;
    }
}

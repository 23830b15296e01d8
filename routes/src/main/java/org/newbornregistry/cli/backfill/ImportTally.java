package org.newbornregistry.cli.backfill;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the adapter answered to an import's messages: how many it accepted (AA), and the rejected
 * ones (AE, AR) by reason — the registry's error code from the ACK's ERR segments (ERR-7), with the
 * first message that got it (file and position), so that an operator can look it up and fix it.
 */
public final class ImportTally {

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Map<String, Reason> reasons = new TreeMap<>();

    /** Counts one ACK. */
    public void count(String ack, String where) {
        String[] segments = ack.split("\r");
        String code = segments.length > 1 && segments[1].startsWith("MSA") ? field(segments[1], 1) : "";
        if (code.equals("AA") || code.equals("CA")) {
            accepted.incrementAndGet();
            return;
        }
        rejected.incrementAndGet();
        String reason = null;
        for (String segment : segments) {
            if (segment.startsWith("ERR") && !field(segment, 4).equals("W") && !field(segment, 4).equals("I")) {
                reason = field(segment, 7).isEmpty() ? field(segment, 3) : field(segment, 7);
                break;
            }
        }
        String key = (code.isEmpty() ? "no MSA" : code) + " " + (reason == null || reason.isEmpty() ? "(no ERR code)" : reason);
        synchronized (reasons) {
            reasons.computeIfAbsent(key, k -> new Reason(where)).count++;
        }
    }

    public long accepted() {
        return accepted.get();
    }

    public long rejected() {
        return rejected.get();
    }

    /** Rejections by "ACK-code reason", each with its count and first message. */
    public Map<String, Reason> reasons() {
        synchronized (reasons) {
            return new TreeMap<>(reasons);
        }
    }

    private static String field(String segment, int number) {
        String[] fields = segment.split("\\|", -1);
        return number < fields.length ? fields[number] : "";
    }

    /** How often a reason came, and the first message it came for. */
    public static final class Reason {
        private final String first;
        private long count;

        Reason(String first) {
            this.first = first;
        }

        public long count() {
            return count;
        }

        public String first() {
            return first;
        }
    }
}

package org.newbornregistry.fhir.audit;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Reference;
import org.newbornregistry.fhir.search.DateRange;
import org.newbornregistry.fhir.audit.store.AuditStore;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The consent log auditors read: every version of every Consent, oldest first, each with who
 * changed it, when, and from which HL7 message or FHIR request — taken from the audit event that
 * recorded the write in the same transaction.
 */
public class ConsentLog {

    /** Most versions one page of the listing holds. */
    public static final int MAX_ROWS = 10_000;

    /** Most audit events read for one chunk of 500 consents. */
    private static final int MAX_EVENTS_PER_CHUNK = 20_000;

    private final JdbcTemplate jdbc;
    private final FhirContext fhir;
    private final AuditStore audit;

    public ConsentLog(JdbcTemplate jdbc, FhirContext fhir, AuditStore audit) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.fhir = fhir;
    }

    /** What to list; null fields do not filter. */
    public record Filter(Instant from, Instant to, String purpose, String status, String organization) {
    }

    /**
     * One version of a Consent as the log shows it.
     *
     * @param consent   the Consent version (null content for a deletion)
     * @param method    POST, PUT or DELETE
     * @param changedBy who wrote it: the sending application and facility of an HL7 message, or the FHIR client
     * @param source    the HL7 message store id or the FHIR interaction
     * @param auditEvent the AuditEvent that recorded the write, or null
     */
    public record Entry(String consentId, long version, Instant recorded, String method, Consent consent, String patient,
                        String status, List<String> purposes, String organization, String changedBy, String source,
                        String auditEvent) {
    }

    /**
     * A page of the log, and where the next one starts.
     *
     * @param next the {@code after} cursor of the next page, or null on the last page
     */
    public record Page(List<Entry> entries, String next) {
    }

    /** The first {@link #MAX_ROWS} matching versions, oldest first. */
    public List<Entry> list(Filter filter) {
        return page(filter, null, MAX_ROWS).entries();
    }

    /**
     * Up to {@code limit} matching versions, oldest first, after the one {@code after} names (a
     * cursor an earlier page returned; null for the first page). The filters run in the database,
     * on each version's own content, so that a page is complete however many consents there are
     * (a hundred thousand consents of which few match still give full pages). Each version's JSON is
     * parsed once, in a lateral subquery kept apart by {@code offset 0}: written into every filter,
     * the cast would run once per filter and row.
     *
     * @throws IllegalArgumentException if {@code after} is not a cursor this log issued
     */
    public Page page(Filter filter, String after, int limit) {
        Cursor cursor = after == null ? null : Cursor.parse(after);
        List<Map<String, Object>> rows = jdbc.query("""
                select r.res_id, v.version, v.last_updated, v.method, v.content from resource_version v
                join resource r on r.pid = v.res_pid
                cross join lateral (select v.content::jsonb as json offset 0) c
                where v.res_type = 'Consent'
                  and (?::timestamptz is null or v.last_updated >= ?::timestamptz)
                  and (?::timestamptz is null or v.last_updated < ?::timestamptz)
                  and (?::timestamptz is null or (v.last_updated, r.res_id, v.version) > (?::timestamptz, ?, ?))
                  and (?::text is null or coalesce(c.json ->> 'status', 'deleted') = ?)
                  and (?::text is null or jsonb_path_exists(c.json,
                        'strict $.provision.** ? (exists(@.purpose[*] ? (@.code == $p)))', jsonb_build_object('p', ?::text)))
                  and (?::text is null or exists (select 1 from jsonb_array_elements(c.json -> 'organization') o
                        where strpos(coalesce(o ->> 'display', o ->> 'reference'), ?) > 0))
                order by v.last_updated, r.res_id, v.version limit ?""",
                (rs, n) -> Map.of("res_id", rs.getString("res_id"), "version", rs.getLong("version"),
                        "last_updated", rs.getObject("last_updated", OffsetDateTime.class), "method", rs.getString("method"),
                        "content", Objects.requireNonNullElse(rs.getString("content"), "")),
                utc(filter.from()), utc(filter.from()), utc(filter.to()), utc(filter.to()),
                cursor == null ? null : utc(cursor.recorded()), cursor == null ? null : utc(cursor.recorded()),
                cursor == null ? null : cursor.consentId(), cursor == null ? null : cursor.version(),
                filter.status(), filter.status(), filter.purpose(), filter.purpose(),
                filter.organization(), filter.organization(), limit + 1);
        boolean more = rows.size() > limit;
        List<Map<String, Object>> shown = more ? rows.subList(0, limit) : rows;
        Map<String, AuditEvent> writers = writers(shown.stream().map(r -> (String) r.get("res_id")).distinct().toList());
        List<Entry> entries = new ArrayList<>();
        for (Map<String, Object> row : shown) {
            String id = (String) row.get("res_id");
            long version = ((Number) row.get("version")).longValue();
            String content = (String) row.get("content");
            Consent consent = content.isEmpty() ? null : fhir.newJsonParser().parseResource(Consent.class, content);
            List<String> purposes = consent == null ? List.of() : purposes(consent);
            String status = consent == null ? "deleted" : consent.getStatus() == null ? null : consent.getStatus().toCode();
            String organization = consent == null ? null : consent.getOrganization().stream().map(ConsentLog::name)
                    .filter(Objects::nonNull).collect(Collectors.joining("; "));
            AuditEvent writer = writers.get(id + "/" + version);
            entries.add(new Entry(id, version, ((OffsetDateTime) row.get("last_updated")).toInstant(), (String) row.get("method"),
                    consent, consent == null ? null : consent.getPatient().getReference(), status, purposes, organization,
                    writer == null ? null : changedBy(writer), writer == null ? null : source(writer),
                    writer == null ? null : writer.getIdElement().getIdPart()));
        }
        Entry last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
        return new Page(entries, more && last != null ? new Cursor(last.recorded(), last.consentId(), last.version()).format() : null);
    }

    /** Where a page ended: the last version's time, consent id and version, the log's sort key. */
    private record Cursor(Instant recorded, String consentId, long version) {
        String format() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (recorded + "|" + consentId + "|" + version).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String text) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|", -1);
                if (parts.length != 3) {
                    throw new IllegalArgumentException("not a consent-log cursor");
                }
                Instant recorded = Instant.parse(parts[0]);
                if (!DateRange.storable(recorded)) {
                    throw new IllegalArgumentException("not a consent-log cursor");
                }
                return new Cursor(recorded, parts[1], Long.parseLong(parts[2]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a consent-log cursor", e);
            }
        }
    }

    /**
     * The audit events naming versions of these Consents, by {@code id/version}. Each event is parsed
     * once: a transaction's event names all the consents it wrote, so chunks of ids share events.
     */
    private Map<String, AuditEvent> writers(List<String> consentIds) {
        Map<String, AuditEvent> byVersion = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (int from = 0; from < consentIds.size(); from += 500) {
            List<String> chunk = consentIds.subList(from, Math.min(consentIds.size(), from + 500));
            List<String> consents = chunk.stream().map(id -> "Consent/" + id).toList();
            for (AuditStore.Stored stored : audit.naming(consents, true, MAX_EVENTS_PER_CHUNK)) {
                if (!seen.add(stored.event().getIdPart())) {
                    continue;
                }
                AuditEvent event = stored.event();
                for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
                    String reference = entity.getWhat().getReference();
                    if (reference != null && reference.startsWith("Consent/") && reference.contains("/_history/")) {
                        String[] parts = reference.split("/");
                        byVersion.putIfAbsent(parts[1] + "/" + parts[3], event);
                    }
                }
            }
        }
        return byVersion;
    }

    /** The purpose codes a consent's provisions state: the root's and its nested provisions'. */
    static List<String> purposes(Consent consent) {
        List<String> purposes = new ArrayList<>();
        consent.getProvision().getPurpose().stream().map(Coding::getCode).forEach(purposes::add);
        consent.getProvision().getProvision().forEach(p -> p.getPurpose().stream().map(Coding::getCode).forEach(purposes::add));
        return purposes;
    }

    private static String name(Reference organization) {
        return organization.hasDisplay() ? organization.getDisplay() : organization.getReference();
    }

    private static String changedBy(AuditEvent event) {
        return event.getAgent().stream().filter(a -> a.getRequestor()).map(a -> a.getWho().getDisplay())
                .filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static String source(AuditEvent event) {
        for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
            if (entity.getWhat().hasIdentifier() && entity.getWhat().getIdentifier().getSystem() != null
                    && entity.getWhat().getIdentifier().getSystem().endsWith("/sid/hl7-message")) {
                return "HL7 message " + entity.getWhat().getIdentifier().getValue();
            }
        }
        return "FHIR " + event.getSubtypeFirstRep().getCode();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}

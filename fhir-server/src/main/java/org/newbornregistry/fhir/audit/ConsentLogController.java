package org.newbornregistry.fhir.audit;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;
import org.newbornregistry.fhir.error.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /audit/consent-log}: every version of every Consent with who changed it, when and
 * from which message or request, filtered by {@code from}/{@code to} (ISO instants, to exclusive),
 * {@code purpose}, {@code status} and {@code organization}; {@code format=json} (default),
 * {@code csv} or {@code bundle} (a FHIR history Bundle of the Consent versions). Pages of
 * {@code limit} versions (default and most {@value ConsentLog#MAX_ROWS}); when there are more, the
 * response's {@code Link: <...>; rel="next"} header (and a Bundle's next link) names the next page,
 * whose {@code after} parameter is an opaque cursor.
 *
 * <p>For auditors: the {@code nbr/audit} scope (auditor and admin roles).
 */
@RestController
@RequestMapping("/audit/consent-log")
public class ConsentLogController {

    static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");
    static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json;charset=UTF-8");

    private final ConsentLog log;
    private final FhirContext fhir;

    public ConsentLogController(ConsentLog log, FhirContext fhir) {
        this.log = log;
        this.fhir = fhir;
    }

    @GetMapping
    public ResponseEntity<?> list(@RequestParam(name = "from", required = false) String from,
                                  @RequestParam(name = "to", required = false) String to,
                                  @RequestParam(name = "purpose", required = false) String purpose,
                                  @RequestParam(name = "status", required = false) String status,
                                  @RequestParam(name = "organization", required = false) String organization,
                                  @RequestParam(name = "format", defaultValue = "json") String format,
                                  @RequestParam(name = "limit", required = false) Integer limit,
                                  @RequestParam(name = "after", required = false) String after) {
        if (limit != null && (limit < 1 || limit > ConsentLog.MAX_ROWS)) {
            throw Problems.invalidParameter("limit must be between 1 and " + ConsentLog.MAX_ROWS);
        }
        ConsentLog.Page page;
        try {
            page = log.page(new ConsentLog.Filter(Problems.instantParameter("from", from), Problems.instantParameter("to", to),
                    blankToNull(purpose), blankToNull(status), blankToNull(organization)), blankToNull(after),
                    limit == null ? ConsentLog.MAX_ROWS : limit);
        } catch (IllegalArgumentException e) {
            throw Problems.invalidParameter("after must be a cursor from a Link header of this log");
        }
        String next = page.next() == null ? null : ServletUriComponentsBuilder.fromCurrentRequest()
                .replaceQueryParam("after", page.next()).build().toUriString();
        List<ConsentLog.Entry> entries = page.entries();
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (next != null) {
            ok.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> ok.body(entries.stream().map(ConsentLogController::view).toList());
            case "csv" -> ok.contentType(CSV)
                    .header("Content-Disposition", "attachment; filename=\"consent-log.csv\"")
                    .body(csv(entries).getBytes(StandardCharsets.UTF_8));
            // Why: bytes, so that no JSON message converter quotes the FHIR JSON as a string.
            case "bundle" -> ok.contentType(FHIR_JSON)
                    .body(fhir.newJsonParser().encodeResourceToString(bundle(entries, next)).getBytes(StandardCharsets.UTF_8));
            default -> throw Problems.invalidParameter("format must be json, csv or bundle");
        };
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** One row of the JSON listing: the log's fields without the Consent itself. */
    record View(String consent, long version, Instant recorded, String method, String patient, String status,
                List<String> purposes, String organization, String changedBy, String source, String auditEvent) {
    }

    private static View view(ConsentLog.Entry e) {
        return new View("Consent/" + e.consentId(), e.version(), e.recorded(), e.method(), e.patient(), e.status(), e.purposes(),
                e.organization(), e.changedBy(), e.source(), e.auditEvent() == null ? null : "AuditEvent/" + e.auditEvent());
    }

    static String csv(List<ConsentLog.Entry> entries) {
        StringBuilder out = new StringBuilder("consent,version,recorded,method,patient,status,purposes,organization,changed_by,source,audit_event\r\n");
        for (ConsentLog.Entry e : entries) {
            out.append(String.join(",", cell("Consent/" + e.consentId()), cell(Long.toString(e.version())), cell(e.recorded().toString()),
                    cell(e.method()), cell(e.patient()), cell(e.status()), cell(String.join(" ", e.purposes())), cell(e.organization()),
                    cell(e.changedBy()), cell(e.source()), cell(e.auditEvent() == null ? null : "AuditEvent/" + e.auditEvent())))
                    .append("\r\n");
        }
        return out.toString();
    }

    /**
     * RFC 4180: quoted when it holds a comma, quote or line break. A cell a spreadsheet would read
     * as a formula is neutralised with a leading apostrophe (OWASP's CSV injection rules): one
     * starting with a tab or carriage return, or whose first character after blanks is
     * {@code = + - @}.
     */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String trimmed = value.stripLeading();
        boolean formula = !value.isEmpty() && (value.charAt(0) == '\t' || value.charAt(0) == '\r'
                || !trimmed.isEmpty() && "=+-@".indexOf(trimmed.charAt(0)) >= 0);
        String safe = formula ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }

    private static Bundle bundle(List<ConsentLog.Entry> entries, String next) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY);
        bundle.setTimestamp(new Date());
        if (next != null) {
            bundle.addLink().setRelation(Bundle.LINK_NEXT).setUrl(next);
        }
        for (ConsentLog.Entry e : entries) {
            Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl("Consent/" + e.consentId());
            if (e.consent() != null) {
                entry.setResource(e.consent());
            }
            entry.getRequest().setMethod(Bundle.HTTPVerb.fromCode(e.method())).setUrl("Consent/" + e.consentId());
            entry.getResponse().setStatus("DELETE".equals(e.method()) ? "204" : "200")
                    .setLastModifiedElement(new InstantType(Date.from(e.recorded())))
                    .setEtag("W/\"" + e.version() + "\"");
        }
        return bundle;
    }
}

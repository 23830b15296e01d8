package org.newbornregistry.fhir.audit;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;
import org.newbornregistry.fhir.error.Problems;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /audit/consent-log}: every version of every Consent with who changed it, when and
 * from which message or request, filtered by {@code from}/{@code to} (ISO instants, to exclusive),
 * {@code purpose}, {@code status} and {@code organization}; {@code format=json} (default),
 * {@code csv} or {@code bundle} (a FHIR history Bundle of the Consent versions).
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
                                  @RequestParam(name = "format", defaultValue = "json") String format) {
        List<ConsentLog.Entry> entries = log.list(new ConsentLog.Filter(Problems.instantParameter("from", from), Problems.instantParameter("to", to),
                purpose, status, organization));
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> ResponseEntity.ok(entries.stream().map(ConsentLogController::view).toList());
            case "csv" -> ResponseEntity.ok().contentType(CSV)
                    .header("Content-Disposition", "attachment; filename=\"consent-log.csv\"")
                    .body(csv(entries).getBytes(StandardCharsets.UTF_8));
            // Why: bytes, so that no JSON message converter quotes the FHIR JSON as a string.
            case "bundle" -> ResponseEntity.ok().contentType(FHIR_JSON)
                    .body(fhir.newJsonParser().encodeResourceToString(bundle(entries)).getBytes(StandardCharsets.UTF_8));
            default -> throw Problems.invalidParameter("format must be json, csv or bundle");
        };
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

    /** RFC 4180: quoted when it holds a comma, quote or line break; a leading formula character is neutralised. */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }

    private static Bundle bundle(List<ConsentLog.Entry> entries) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY);
        bundle.setTimestamp(new Date());
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
        bundle.setTotal(entries.size());
        return bundle;
    }
}

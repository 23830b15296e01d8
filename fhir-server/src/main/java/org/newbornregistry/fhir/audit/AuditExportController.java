package org.newbornregistry.fhir.audit;

import org.newbornregistry.fhir.error.Problems;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.newbornregistry.fhir.audit.store.AuditStore;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@code GET /audit/events/export?from=...&to=...}: every AuditEvent recorded in a date range
 * (from inclusive, to exclusive, ISO instants), as FHIR NDJSON (one AuditEvent per line, the JSON
 * exactly as stored — the bytes whose hashes are the audit log's leaves), streamed in the order
 * they were stored. For auditors' archives: the {@code nbr/audit} scope (auditor and admin roles).
 */
@RestController
@RequestMapping("/audit/events/export")
public class AuditExportController {

    static final MediaType NDJSON = MediaType.parseMediaType("application/fhir+ndjson");

    private final AuditStore store;

    public AuditExportController(AuditStore store) {
        this.store = store;
    }

    @GetMapping
    public ResponseEntity<StreamingResponseBody> export(@RequestParam("from") String from, @RequestParam("to") String to) {
        Instant start = required("from", from);
        Instant end = required("to", to);
        StreamingResponseBody body = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            store.contents(start, end, content -> {
                try {
                    writer.write(content);
                    writer.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.flush();
        };
        return ResponseEntity.ok().contentType(NDJSON)
                .header("Content-Disposition", "attachment; filename=\"audit-events.ndjson\"").body(body);
    }

    private static Instant required(String name, String value) {
        Instant instant = Problems.instantParameter(name, value);
        if (instant == null) {
            throw Problems.invalidParameter(name + " is required");
        }
        return instant;
    }
}

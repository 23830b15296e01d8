package org.newbornregistry.routes.index.admin;

import org.newbornregistry.fhir.error.Problems;
import org.newbornregistry.fhir.outbox.IndexOutbox;
import org.newbornregistry.fhir.outbox.OutboxStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operators' HTTP API over the outbox towards the national index: how many rows wait, are
 * parked or were delivered, the rows of a status, one row, and the retry of a parked row once its
 * cause is fixed. Rows carry registry ids, codes and outcomes in words; never a pseudonym, never
 * genetic data. Errors are RFC 9457 problem details.
 *
 * <p>Needs the {@code nbr/admin} scope (the admin role).
 */
@RestController
@RequestMapping("/admin/index/outbox")
public class OutboxAdminController {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxAdminController.class);
    private static final int MAX_LIMIT = 500;

    private final IndexOutbox outbox;
    private final Clock clock;

    public OutboxAdminController(IndexOutbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    /** {@code GET /admin/index/outbox}: rows per status and the oldest pending row's creation. */
    @GetMapping
    public Map<String, Object> summary() {
        Map<OutboxStatus, Long> found = outbox.counts();
        Map<String, Object> counts = new LinkedHashMap<>();
        for (OutboxStatus status : OutboxStatus.values()) {
            counts.put(status.name(), found.getOrDefault(status, 0L));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("rows", counts);
        summary.put("oldestPending", outbox.oldestPending().orElse(null));
        return summary;
    }

    /** {@code GET /admin/index/outbox/rows?status=PARKED&limit=50}: rows of a status, newest first. */
    @GetMapping("/rows")
    public Map<String, Object> rows(@RequestParam(name = "status", defaultValue = "PARKED") String status,
                                    @RequestParam(name = "limit", defaultValue = "50") int limit) {
        OutboxStatus wanted = Arrays.stream(OutboxStatus.values()).filter(s -> s.name().equalsIgnoreCase(status)).findFirst()
                .orElseThrow(() -> Problems.invalidParameter("status must be one of " + Arrays.toString(OutboxStatus.values())));
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Problems.invalidParameter("limit must be 1 to " + MAX_LIMIT);
        }
        return Map.of("status", wanted.name(), "rows", outbox.list(wanted, limit));
    }

    /** {@code GET /admin/index/outbox/rows/{id}}: one row. */
    @GetMapping("/rows/{id}")
    public Map<String, Object> row(@PathVariable("id") long id) {
        return outbox.row(id).orElseThrow(() -> notFound(id));
    }

    /** {@code POST /admin/index/outbox/rows/{id}/$retry}: makes a parked row due again, its attempts counted afresh. */
    @PostMapping("/rows/{id}/$retry")
    public Map<String, Object> retry(@PathVariable("id") long id) {
        Map<String, Object> row = outbox.row(id).orElseThrow(() -> notFound(id));
        if (!outbox.retryParked(id, clock.instant())) {
            throw Problems.of(HttpStatus.CONFLICT, "Not parked", "outbox row " + id + " is " + row.get("status")
                    + "; only a parked row can be retried");
        }
        LOG.info("Outbox row {} retried by an operator", id);
        return outbox.row(id).orElseThrow(() -> notFound(id));
    }

    private static ErrorResponseException notFound(long id) {
        return Problems.of(HttpStatus.NOT_FOUND, "No such outbox row", "there is no outbox row " + id);
    }
}

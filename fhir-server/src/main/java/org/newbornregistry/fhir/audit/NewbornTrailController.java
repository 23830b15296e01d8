package org.newbornregistry.fhir.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.newbornregistry.fhir.error.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * {@code GET /audit/newborn-trail?identifier=[system|]value} (or {@code ?patient=id}): the
 * {@link NewbornTrail} of one newborn as JSON. An identifier value given without its system that
 * two organisations issued is answered 409 with the count, so the auditor adds the system. Every
 * trail read is itself an audit event naming the newborn, recorded before the trail is read: the
 * trail shows who looked at it, this look included.
 *
 * <p>For auditors: the {@code nbr/audit} scope. Investigators reach a trail by pseudonym instead,
 * through the re-identification flow ({@code POST /audit/newborn-trail/by-pseudonym}).
 */
@RestController
@RequestMapping("/audit/newborn-trail")
public class NewbornTrailController {

    private final NewbornTrail trails;

    public NewbornTrailController(NewbornTrail trails) {
        this.trails = trails;
    }

    @GetMapping
    public NewbornTrail.Trail trail(@RequestParam(name = "identifier", required = false) String identifier,
                                    @RequestParam(name = "patient", required = false) String patient,
                                    HttpServletRequest request) {
        String patientId;
        String how;
        if (patient != null && !patient.isBlank() && (identifier == null || identifier.isBlank())) {
            patientId = patient.strip().startsWith("Patient/") ? patient.strip().substring("Patient/".length()) : patient.strip();
            how = "by record id";
        } else if (identifier != null && !identifier.isBlank() && (patient == null || patient.isBlank())) {
            patientId = byIdentifier(identifier.strip());
            how = "by identifier";
        } else {
            throw Problems.invalidParameter("give either identifier (system|value, or a value) or patient (a record id)");
        }
        return trails.readBy(AuditClients.of(request), patientId, how)
                .orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND, "no newborn record with this id"));
    }

    private String byIdentifier(String identifier) {
        int bar = identifier.indexOf('|');
        String system = bar < 0 ? null : identifier.substring(0, bar);
        String value = bar < 0 ? identifier : identifier.substring(bar + 1);
        if (value.isEmpty()) {
            throw Problems.invalidParameter("the identifier has no value");
        }
        List<String> found = trails.patientsByIdentifier(system == null || system.isEmpty() ? null : system, value);
        if (found.isEmpty()) {
            throw Problems.of(HttpStatus.NOT_FOUND, "no newborn carries this identifier");
        }
        if (found.size() > 1) {
            throw Problems.of(HttpStatus.CONFLICT, "Ambiguous identifier", found.size()
                    + " newborns carry this identifier value in different systems; give it as system|value");
        }
        return found.get(0);
    }
}

package org.newbornregistry.routes.index;

import jakarta.servlet.http.HttpServletRequest;
import org.newbornregistry.adapter.audit.RestAuditEvents;
import org.newbornregistry.fhir.audit.AuditClients;
import org.newbornregistry.fhir.audit.NewbornTrail;
import org.newbornregistry.fhir.error.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;


/**
 * {@code POST /audit/newborn-trail/by-pseudonym} with {@code {"pseudonym": ..., "caseReference": ...}}:
 * an investigator's way to a newborn's trail. The pseudonym the national index reported is
 * re-identified for the case ({@link Reidentification}: required case reference, audited whatever
 * the outcome), and the answer is that newborn's {@link NewbornTrail} as an investigator may see it
 * (other people's looks at it without who, where and why), its read audited too. A POST
 * so that the pseudonym never sits in a URL, an access log or a browser history.
 *
 * <p>Needs the {@code nbr/reidentify} scope (the investigator role). Errors are problem details:
 * 400 without a case reference, 404 when no newborn is under the pseudonym.
 */
@RestController
public class PseudonymTrailController {

    /** The request body. */
    public record Request(String pseudonym, String caseReference) {
    }

    private final Reidentification reidentification;
    private final NewbornTrail trails;

    public PseudonymTrailController(Reidentification reidentification, NewbornTrail trails) {
        this.reidentification = reidentification;
        this.trails = trails;
    }

    @PostMapping(path = "/audit/newborn-trail/by-pseudonym", consumes = "application/json")
    public NewbornTrail.Trail trail(@RequestBody Request body, HttpServletRequest request) {
        RestAuditEvents.Client client = AuditClients.of(request);
        Reidentification.Result result = reidentification.resolve(body.pseudonym(), body.caseReference(), client);
        return switch (result.status()) {
            case NO_CASE -> throw Problems.invalidParameter("re-identification needs the case reference of the investigation");
            case NOT_FOUND -> throw Problems.of(HttpStatus.NOT_FOUND,
                    "the registry holds no newborn under this pseudonym at the index (never submitted, or withdrawn)");
            case RESOLVED -> {
                yield trails.readBy(client, result.patient().getIdElement().getIdPart(),
                                "through re-identification for case " + result.caseReference())
                        .orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND, "the newborn's record is gone"))
                        .seenBy(client.user());
            }
        };
    }
}

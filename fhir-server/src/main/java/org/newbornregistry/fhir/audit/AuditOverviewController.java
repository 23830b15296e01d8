package org.newbornregistry.fhir.audit;

import org.newbornregistry.fhir.error.Problems;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /audit/overview?hours=24}: the {@link RegistryOverview} as JSON — messages per hour,
 * the index outbox, consents by status and purpose, the last signed checkpoint. For auditors and
 * operators: the {@code nbr/audit} scope.
 */
@RestController
@RequestMapping("/audit/overview")
public class AuditOverviewController {

    static final int MAX_HOURS = 24 * 31;

    private final RegistryOverview overview;

    public AuditOverviewController(RegistryOverview overview) {
        this.overview = overview;
    }

    @GetMapping
    public RegistryOverview.Overview overview(@RequestParam(name = "hours", defaultValue = "24") int hours) {
        if (hours < 1 || hours > MAX_HOURS) {
            throw Problems.invalidParameter("hours must be between 1 and " + MAX_HOURS);
        }
        return overview.overview(hours);
    }
}

package org.newbornregistry.fhir.audit;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Readiness of the audit log: OUT_OF_SERVICE when the last verification found it altered, UP when
 * it found it intact or none ran yet. It reads the last result ({@link AuditVerifications}) and never
 * verifies itself, so a probe costs nothing. Details name the checkpoint and the first leaf that
 * does not match, never an AuditEvent's content.
 */
public class AuditLogHealthIndicator implements HealthIndicator {

    private final AuditVerifications verifications;

    public AuditLogHealthIndicator(AuditVerifications verifications) {
        this.verifications = verifications;
    }

    @Override
    public Health health() {
        return verifications.last().map(recorded -> {
            AuditLog.Verification verification = recorded.verification();
            Health.Builder health = verification.verified() ? Health.up() : Health.outOfService()
                    .withDetail("leafIndex", verification.leafIndex())
                    .withDetail("reason", verification.reason());
            return health.withDetail("verified", verification.verified())
                    .withDetail("verifiedAt", recorded.at().toString())
                    .withDetail("checkpointSize", verification.checkpointSize())
                    .build();
        }).orElseGet(() -> Health.up().withDetail("verified", "not yet since start-up").build());
    }
}

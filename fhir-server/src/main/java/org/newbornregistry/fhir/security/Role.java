package org.newbornregistry.fhir.security;

import java.util.Locale;

/**
 * The registry's roles as the SMART v2 scopes a token carries in its {@code scope} claim
 * ({@code system/<Type>.<cruds>}), plus five registry scopes for what FHIR scopes cannot say:
 * {@code nbr/admin} (the /admin APIs), {@code nbr/audit} (the /audit APIs), {@code nbr/reidentify}
 * (the Patient $reidentify operation), {@code nbr/genotype} (genotype values unmasked) and
 * {@code nbr/metrics} (/actuator/metrics and /actuator/prometheus).
 * Hospitals also carry an {@code organization} claim, which confines them to the records in that
 * organisation's custody. This table is the one place roles are defined; README lists it.
 */
public enum Role {

    /** Registers births and specimens, orders screening, records consents; resolves the directory its records point at. */
    HOSPITAL("system/Patient.crus system/RelatedPerson.crus system/Encounter.crus system/Specimen.crus"
            + " system/ServiceRequest.crus system/Consent.crus" + Directory.READ),
    /**
     * Reads what was sampled and ordered, posts results and genotypes, and reads genotypes unmasked; resolves the
     * directory its records point at.
     */
    LAB("system/Patient.rs system/ServiceRequest.rs system/Specimen.crus system/Observation.crus"
            + " system/DiagnosticReport.crus nbr/genotype" + Directory.READ),
    /** Reads the audit trail, consents and Observations — genotypes with their values masked — and the directory. */
    AUDITOR("system/AuditEvent.rs system/Consent.rs system/Observation.rs nbr/audit" + Directory.READ),
    /** Resolves a pseudonym the index reported back to the birth record, and nothing else. */
    INVESTIGATOR("nbr/reidentify"),
    /** Operates the message store and the outbox; may also read the audit APIs and the metrics. */
    ADMIN("nbr/admin nbr/audit nbr/metrics"),
    /**
     * Scrapes the metrics and nothing else: the token a Prometheus server keeps in its configuration. Why not the
     * admin token: that one also reads raw HL7 messages and replays them, and a scrape token lives on another host.
     */
    MONITOR("nbr/metrics");

    /** The registry scope that opens /admin/**. */
    public static final String ADMIN_SCOPE = "nbr/admin";
    /** The registry scope that opens /audit/**. */
    public static final String AUDIT_SCOPE = "nbr/audit";
    /** The registry scope that shows genotype values; without it they are masked ({@link GenotypeMasking}). */
    public static final String GENOTYPE_SCOPE = "nbr/genotype";
    /** The registry scope that opens /actuator/metrics and /actuator/prometheus. */
    public static final String METRICS_SCOPE = "nbr/metrics";
    /** The registry scope that permits Patient/$reidentify. */
    public static final String REIDENTIFY_SCOPE = "nbr/reidentify";

    /**
     * The directory the registry's records point at (who ordered, who attended, which lab performed, where): shared by
     * every organisation and held by none ({@code Custodian}), so whoever receives a reference can resolve it.
     */
    private static final class Directory {
        static final String READ = " system/Practitioner.rs system/PractitionerRole.rs system/Organization.rs system/Location.rs";
    }

    private final String scope;

    Role(String scope) {
        this.scope = scope;
    }

    /** The space-separated scopes of a token for this role. */
    public String scope() {
        return scope;
    }

    /** The role's name in file names and on the command line: {@code hospital}, {@code lab}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code id}, case-insensitively. */
    public static Role of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}

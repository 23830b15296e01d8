package org.newbornregistry.conformance;

/**
 * Canonical URLs of the registry's own conformance artefacts: the base under which its
 * profiles, code systems and naming systems are published, and the systems that other modules
 * put into the resources and OperationOutcomes they emit.
 *
 * <p>The host is the project's own namespace; nothing is fetched from it at run time.
 */
public final class NbrCanonical {

    /** Base of every canonical URL the registry publishes. */
    public static final String BASE = "https://fhir.newbornregistry.org";

    /** CodeSystem of the registry's error codes ({@code NBR-xxxx}), used in OperationOutcome.issue.details. */
    public static final String ERROR_CODE_SYSTEM = BASE + "/CodeSystem/nbr-error";

    /** CodeSystem of STR loci (CODIS core loci, Penta D/E, SE33, Amelogenin, Y-STRs): LOINC has no code per locus. */
    public static final String STR_LOCUS_SYSTEM = BASE + "/CodeSystem/str-locus";

    /** Identifier system of the pseudonyms newborns have at the national DNA index. */
    public static final String INDEX_PSEUDONYM_SYSTEM = BASE + "/sid/index-pseudonym";

    /** CodeSystem of the purposes a parent consents to separately (screening, spot storage, STR profiling, index submission). */
    public static final String REGISTRY_PURPOSE_SYSTEM = BASE + "/CodeSystem/registry-purpose";

    /**
     * Identifier system of the keys the HL7 v2 mapping derives for results, which v2 does not
     * identify one by one: a report is its order's filler number and panel code, an observation
     * its report's key, code and sub-id. Re-sent and corrected results find their earlier
     * version by this key.
     */
    public static final String RESULT_KEY_SYSTEM = BASE + "/sid/v2-result-key";

    /** Name of the registry's FHIR package ({@code package/package.json} on the classpath). */
    public static final String PACKAGE_NAME = "org.newbornregistry.fhir";

    /** Classpath folder holding the package: {@code package.json}, {@code .index.json} and one JSON file per resource. */
    public static final String PACKAGE_PATH = "package";

    /** Newborn Patient: identifier with system and value, birthDate (and birthTime), gender, multipleBirth. */
    public static final String NEWBORN_PATIENT = BASE + "/StructureDefinition/nbr-newborn-patient";

    /** Mother: RelatedPerson of the newborn with relationship MTH. */
    public static final String MOTHER = BASE + "/StructureDefinition/nbr-mother";

    /** Birth encounter: subject, class, period.start. */
    public static final String BIRTH_ENCOUNTER = BASE + "/StructureDefinition/nbr-birth-encounter";

    /** Blood-spot specimen: card identifier, type SNOMED 440500007, collection time. */
    public static final String BLOOD_SPOT_SPECIMEN = BASE + "/StructureDefinition/nbr-blood-spot-specimen";

    /** Newborn-screening order (ServiceRequest): placer identifier, code, the newborn. */
    public static final String SCREENING_ORDER = BASE + "/StructureDefinition/nbr-screening-order";

    /** Newborn-screening report (DiagnosticReport): identifier, code, specimen, results. */
    public static final String SCREENING_REPORT = BASE + "/StructureDefinition/nbr-screening-report";

    /** LOINC's code of an STR genotype panel (OBR-4 of the lab's result, Observation.code of the genotype). */
    public static final String STR_GENOTYPE_CODE = "84413-4";

    /** STR genotype (Observation, LOINC 84413-4): one component per locus, alleles as strings, the specimen. */
    public static final String STR_GENOTYPE = BASE + "/StructureDefinition/nbr-str-genotype";

    /** Registry consent: per-purpose provisions given by a parent or guardian. */
    public static final String CONSENT = BASE + "/StructureDefinition/nbr-consent";

    /** Registry AuditEvent, aligned with IHE Basic Audit Log Patterns. */
    public static final String AUDIT_EVENT = BASE + "/StructureDefinition/nbr-audit-event";

    /** ValueSet of all STR loci of {@link #STR_LOCUS_SYSTEM}. */
    public static final String STR_LOCUS_VALUE_SET = BASE + "/ValueSet/str-locus";

    /** ValueSet of all registry purposes. */
    public static final String REGISTRY_PURPOSE_VALUE_SET = BASE + "/ValueSet/registry-purpose";

    /**
     * Extension (valueBoolean true) on {@code Bundle.entry.request} of a PUT: the update keeps
     * what the resource does not carry (HL7 v2 update semantics) instead of replacing the whole
     * record. Each {@link #PARTIAL_UPDATE_CLEAR} beside it names an element the sender cleared
     * explicitly (v2 {@code ""}).
     */
    public static final String PARTIAL_UPDATE = BASE + "/StructureDefinition/partial-update";

    /**
     * Extension (valueString, repeating) on {@code Bundle.entry.request} of a partial update: an
     * element to remove, by its dotted path ({@code birthDate}, {@code multipleBirth},
     * {@code period.end}) or as {@code extension('url')}.
     */
    public static final String PARTIAL_UPDATE_CLEAR = BASE + "/StructureDefinition/partial-update-clear";

    /**
     * Extension (valueString, repeating) on {@code Bundle.entry.request} of a partial update: an
     * element the resource carries only because FHIR requires one, by its dotted path
     * ({@code status}): taken only where the stored record has none.
     */
    public static final String PARTIAL_UPDATE_DEFAULT = BASE + "/StructureDefinition/partial-update-default";

    private NbrCanonical() {
    }
}

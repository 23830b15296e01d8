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

    private NbrCanonical() {
    }
}

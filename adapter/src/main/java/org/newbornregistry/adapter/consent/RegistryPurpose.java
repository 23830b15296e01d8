package org.newbornregistry.adapter.consent;

import org.hl7.fhir.r4.model.Coding;
import org.newbornregistry.conformance.NbrCanonical;

/**
 * The purposes a parent consents to separately, codes of the registry-purpose CodeSystem. No
 * purpose implies another: screening consent says nothing about the national index.
 */
public enum RegistryPurpose {
    SCREENING("screening"),
    SPOT_STORAGE("spot-storage"),
    STR_PROFILING("str-profiling"),
    INDEX_SUBMISSION("national-index-submission");

    private final String code;

    RegistryPurpose(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Whether a coding names this purpose. */
    public boolean matches(Coding coding) {
        return NbrCanonical.REGISTRY_PURPOSE_SYSTEM.equals(coding.getSystem()) && code.equals(coding.getCode());
    }

    /** The purpose as a Coding. */
    public Coding coding() {
        return new Coding(NbrCanonical.REGISTRY_PURPOSE_SYSTEM, code, null);
    }
}

package org.newbornregistry.fhir.validation;

import ca.uhn.fhir.context.FhirContext;

/**
 * One validator for all unit tests of a test JVM, as the application keeps one: building it
 * (loading the package, generating snapshots) takes seconds, and tests only read it.
 */
final class SharedValidator {

    private static final RegistryValidator INSTANCE = RegistryValidator.create(FhirContext.forR4Cached());

    private SharedValidator() {
    }

    static RegistryValidator get() {
        return INSTANCE;
    }
}

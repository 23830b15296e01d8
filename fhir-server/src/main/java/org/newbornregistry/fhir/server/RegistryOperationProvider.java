package org.newbornregistry.fhir.server;

/**
 * A bean that contributes FHIR operations ({@code @Operation} methods, HAPI plain-provider style)
 * to the registry's server: modules above the server (the index route's re-identification, for
 * one) add operations without the server knowing them.
 */
public interface RegistryOperationProvider {
}

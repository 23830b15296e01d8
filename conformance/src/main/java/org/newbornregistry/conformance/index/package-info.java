/**
 * The reference national DNA index: what a real index does with the registry's submissions,
 * small enough to read — accept CMF (and, through the HTTP binding, FHIR) profiles, keep them
 * by pseudonym, idempotent on the submission key, delete on request, and answer identity
 * searches at high and moderate stringency. Pure: the HTTP binding lives in {@code routes}.
 */
package org.newbornregistry.conformance.index;

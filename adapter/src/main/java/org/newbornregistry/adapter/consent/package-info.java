/**
 * Consent as the registry applies it: opt-in, per purpose, given by a parent or guardian (by
 * the grown child after the age of majority), decided at the moment of use by a pure function
 * over the Consent resources, so that the forwarding route asks it again on every attempt.
 */
package org.newbornregistry.adapter.consent;

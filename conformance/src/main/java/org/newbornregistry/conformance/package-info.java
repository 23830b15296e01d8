/**
 * The registry's contract: canonical URLs, the FHIR package of profiles, code systems and value
 * sets (resources under {@code package/}, authored as JSON differentials; the validator generates
 * their snapshots when it loads them), mapping tables and sample messages. Nothing here opens a
 * socket, writes a file or talks to a database.
 */
package org.newbornregistry.conformance;

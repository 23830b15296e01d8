/**
 * The registry's contract: canonical URLs now; profiles, value sets, mapping tables and sample
 * messages as the conformance issues add them. Nothing here opens a socket, writes a file or
 * talks to a database.
 */
package org.newbornregistry.conformance;

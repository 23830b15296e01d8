/**
 * Tamper evidence for the audit log, the way certificate-transparency logs provide it: entries
 * are leaves of an RFC 9162 Merkle tree, a signed checkpoint commits to a tree size and root
 * hash, an inclusion proof shows that an entry is in the tree, and a consistency proof shows
 * that a later tree extends an earlier one, so that neither an edited entry, a truncated log
 * nor a forked history can go unnoticed by someone holding an older checkpoint.
 *
 * <p>Pure: no I/O, no Spring, only the JDK's SHA-256. Generation takes the log's own data and
 * treats a bad argument as a programming error ({@link IllegalArgumentException}).
 *
 * <p>The tree holds leaf hashes only; which bytes of an audit event become a leaf is the
 * caller's choice, not made here. Nothing here logs.
 */
package org.newbornregistry.adapter.audit.merkle;

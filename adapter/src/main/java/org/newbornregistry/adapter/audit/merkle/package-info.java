/**
 * Tamper evidence for the audit log, the way certificate-transparency logs provide it: entries
 * are leaves of an RFC 9162 Merkle tree, a signed checkpoint commits to a tree size and root
 * hash, an inclusion proof shows that an entry is in the tree, and a consistency proof shows
 * that a later tree extends an earlier one, so that neither an edited entry, a truncated log
 * nor a forked history can go unnoticed by someone holding an older checkpoint.
 *
 * <ul>
 *   <li>{@link org.newbornregistry.adapter.audit.merkle.TreeHash},
 *       {@link org.newbornregistry.adapter.audit.merkle.CompactRange},
 *       {@link org.newbornregistry.adapter.audit.merkle.MerkleTree}: the hashes and roots of RFC 9162 §2.1.1.</li>
 *   <li>{@link org.newbornregistry.adapter.audit.merkle.InclusionProof},
 *       {@link org.newbornregistry.adapter.audit.merkle.ConsistencyProof}: RFC 9162 §2.1.3 and §2.1.4, generated and verified.</li>
 *   <li>{@link org.newbornregistry.adapter.audit.merkle.SubtreeProof}: the same for aligned stretches of the log
 *       (draft-ietf-plants-merkle-tree-certs §4).</li>
 *   <li>{@link org.newbornregistry.adapter.audit.merkle.Checkpoint},
 *       {@link org.newbornregistry.adapter.audit.merkle.NoteSigner},
 *       {@link org.newbornregistry.adapter.audit.merkle.NoteVerifier},
 *       {@link org.newbornregistry.adapter.audit.merkle.VerifierKey}: checkpoints (c2sp.org/tlog-checkpoint) as
 *       Ed25519-signed notes (c2sp.org/signed-note).</li>
 *   <li>{@link org.newbornregistry.adapter.audit.merkle.WitnessKey},
 *       {@link org.newbornregistry.adapter.audit.merkle.Cosignature}: witnesses' cosignatures of checkpoints
 *       ({@code cosignature/v1}, c2sp.org/tlog-cosignature), signed and verified.</li>
 *   <li>{@link org.newbornregistry.adapter.audit.merkle.AddCheckpointRequest}: the body a log sends a witness to have
 *       a checkpoint cosigned (c2sp.org/tlog-witness), written and read; the HTTP exchange is not here.</li>
 * </ul>
 *
 * <p>Pure: no I/O, no Spring, only the JDK's SHA-256 and Ed25519. Verification takes what an
 * outside party hands over (untrusted bytes) and rejects anything malformed with a checked
 * {@link org.newbornregistry.adapter.audit.merkle.ProofException} or
 * {@link org.newbornregistry.adapter.audit.merkle.NoteException}, never another exception;
 * generation takes the log's own data and treats a bad argument as a programming error
 * ({@link IllegalArgumentException}).
 *
 * <p>The tree holds leaf hashes only; which bytes of an audit event become a leaf is the
 * caller's choice, not made here. Nothing here logs.
 */
package org.newbornregistry.adapter.audit.merkle;

package org.newbornregistry.fhir.audit;

import org.newbornregistry.adapter.audit.merkle.Checkpoint;
import org.newbornregistry.adapter.audit.merkle.CompactRange;
import org.newbornregistry.adapter.audit.merkle.ConsistencyProof;
import org.newbornregistry.adapter.audit.merkle.EntrySigner;
import org.newbornregistry.adapter.audit.merkle.InclusionProof;
import org.newbornregistry.adapter.audit.merkle.MerkleTree;
import org.newbornregistry.adapter.audit.merkle.NoteException;
import org.newbornregistry.adapter.audit.merkle.NoteSigner;
import org.newbornregistry.adapter.audit.merkle.NoteVerifier;
import org.newbornregistry.adapter.audit.merkle.TreeHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The audit log as an RFC 9162 Merkle tree, the way certificate-transparency logs keep theirs.
 * Every row of the audit store is an entry: its leaf hash and the application's signature of it
 * ({@link EntrySigner}) are written with the event. This class integrates new entries as
 * consecutive leaves — only entries whose signature verifies, so a row added with SQL never enters
 * the tree — and signs a checkpoint (c2sp.org/tlog-checkpoint) of the new size and root. Each
 * checkpoint then leaves the database: it is appended to the {@link CheckpointFile} and handed to
 * the witnesses.
 *
 * <p>The tree it extends is held in memory, checked once against the last checkpoint the log can
 * trust — the newest of the database's, the checkpoint file's and its own last — so each new
 * checkpoint is consistent with the previous one by construction: rewriting the database's leaves
 * and deleting or truncating its checkpoints does not get a new checkpoint signed over the altered
 * log; verification then names the leaf.
 *
 * <p>Integration is serialised by an advisory lock, so several adapter instances share one log; an
 * instance extends its tree with the leaves another integrated. Proofs and verification read every
 * leaf hash (32 bytes a leaf); at millions of entries, keep the tree's perfect subtrees instead.
 */
public class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final int LOCK_SPACE = 0x4e42_5241;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final NoteSigner signer;
    private final NoteVerifier verifier;
    private final PublicKey entryKey;
    private final CheckpointFile file;
    private final String origin;
    private final Clock clock;
    /** The integrated tree as this instance last extended or checked it; null until loaded. */
    private CompactRange tree;
    /** Entries whose signature did not verify, reported once each. */
    private final Set<Long> refused = new HashSet<>();

    public AuditLog(JdbcTemplate jdbc, TransactionTemplate transactions, NoteSigner signer, PublicKey entryKey,
                    CheckpointFile file, String origin, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.signer = signer;
        this.verifier = new NoteVerifier(signer.verifierKey());
        this.entryKey = entryKey;
        this.file = file;
        this.origin = origin;
        this.clock = clock;
    }

    /** A signed checkpoint as stored. */
    public record SignedCheckpoint(long size, byte[] rootHash, String note, Instant created) {
    }

    /** The log cannot be extended: what it holds does not match a checkpoint it trusts. */
    public static final class IntegrityException extends IllegalStateException {
        IntegrityException(String message) {
            super(message);
        }
    }

    /** The verifier key of the checkpoints, in vkey form ({@code name+keyid+base64}). */
    public String verifierKey() {
        return signer.verifierKey().encoded();
    }

    /** Where the checkpoints are written outside the database. */
    public CheckpointFile checkpointFile() {
        return file;
    }

    /**
     * Integrates the entries not yet in the tree and signs a checkpoint if the tree grew; the latest checkpoint.
     *
     * @throws IntegrityException when the stored leaves do not match the last trusted checkpoint: nothing is signed
     */
    public synchronized Optional<SignedCheckpoint> integrate() {
        SignedCheckpoint[] made = {null};
        Optional<SignedCheckpoint> latest;
        try {
            latest = transactions.execute(tx -> {
                jdbc.queryForList("select pg_advisory_xact_lock(?, 1)", Object.class, LOCK_SPACE);
                catchUp();
                List<Map<String, Object>> pending = jdbc.queryForList("""
                        select e.entry_id, e.content, e.leaf_hash, e.signature from audit_event e
                        where not exists (select 1 from audit_leaf l where l.entry_id = e.entry_id) order by e.entry_id""");
                Optional<SignedCheckpoint> stored = latest();
                Instant now = clock.instant();
                List<Object[]> rows = new ArrayList<>();
                for (Map<String, Object> entry : pending) {
                    long entryId = (Long) entry.get("entry_id");
                    byte[] leaf = (byte[]) entry.get("leaf_hash");
                    if (!written(entry)) {
                        if (refused.add(entryId)) {
                            LOG.error("Audit log: entry {} is not the registry's (its leaf or signature does not verify); "
                                    + "it stays out of the tree", entryId);
                        }
                        continue;
                    }
                    tree.append(leaf);
                    rows.add(new Object[]{tree.size() - 1, entryId, now.atOffset(ZoneOffset.UTC), tree.rootHash()});
                }
                if (rows.isEmpty() && stored.isPresent() && stored.get().size() == tree.size()) {
                    return stored;
                }
                jdbc.batchUpdate("insert into audit_leaf (leaf_index, entry_id, integrated, root_after) values (?, ?, ?, ?)", rows);
                long size = tree.size();
                byte[] root = size == 0 ? TreeHash.emptyTree() : tree.rootHash();
                String note = Checkpoint.of(origin, size, root).sign(signer);
                jdbc.update("insert into audit_checkpoint (tree_size, root_hash, note, created) values (?, ?, ?, ?) on conflict do nothing",
                        size, root, note, now.atOffset(ZoneOffset.UTC));
                LOG.info("Audit log: {} entries integrated, checkpoint at size {}", rows.size(), size);
                made[0] = new SignedCheckpoint(size, root, note, now);
                return Optional.of(made[0]);
            });
        } catch (RuntimeException e) {
            // Why: the in-memory tree may hold leaves whose rows were rolled back; load it again next time.
            tree = null;
            throw e;
        }
        if (made[0] != null && file != null) {
            try {
                file.append(made[0].note());
            } catch (RuntimeException e) {
                LOG.error("Audit log: checkpoint at size {} could not be written to {}: {}", made[0].size(), file.path(),
                        e.getClass().getSimpleName());
            }
        }
        return latest;
    }

    /** Whether an entry is as the registry wrote it: its leaf hashes its content, and the registry signed that leaf. */
    private boolean written(Map<String, Object> entry) {
        byte[] leaf = (byte[]) entry.get("leaf_hash");
        String content = (String) entry.get("content");
        return content != null && Arrays.equals(leaf, TreeHash.leaf(content.getBytes(StandardCharsets.UTF_8)))
                && EntrySigner.verifies(entryKey, leaf, (byte[]) entry.get("signature"));
    }

    /**
     * Brings the in-memory tree up to the stored leaves: loads it on first use and checks it against
     * the trusted checkpoints; afterwards appends the leaves other instances integrated and checks
     * the result against their checkpoint.
     */
    private void catchUp() {
        long stored = size();
        if (tree != null && stored == tree.size()) {
            return;
        }
        long from = tree == null ? 0 : tree.size();
        if (tree != null && stored < tree.size()) {
            throw integrity("the log holds " + stored + " leaves, fewer than the " + tree.size() + " this instance integrated");
        }
        CompactRange range = tree == null ? new CompactRange() : tree;
        tree = null;
        List<Trusted> trusted = trusted();
        for (Trusted checkpoint : trusted) {
            if (checkpoint.size() > stored) {
                throw integrity("the log holds " + stored + " leaves, fewer than the checkpoint at size " + checkpoint.size()
                        + " in " + checkpoint.source() + ": it was truncated");
            }
        }
        String mismatch = null;
        List<byte[]> leaves = jdbc.queryForList("""
                select e.leaf_hash from audit_leaf l left join audit_event e on e.entry_id = l.entry_id
                where l.leaf_index >= ? order by l.leaf_index""", byte[].class, from);
        if (leaves.size() != stored - from || leaves.stream().anyMatch(leaf -> leaf == null)) {
            throw integrity("the log's leaves are not consecutive or an entry of a leaf is missing");
        }
        for (byte[] leaf : leaves) {
            range.append(leaf);
            for (Trusted checkpoint : trusted) {
                if (checkpoint.size() == range.size() && !Arrays.equals(range.rootHash(), checkpoint.rootHash())) {
                    mismatch = "the log's first " + checkpoint.size() + " leaves do not match the checkpoint in " + checkpoint.source();
                }
            }
        }
        if (mismatch != null) {
            throw integrity(mismatch);
        }
        tree = range;
    }

    private IntegrityException integrity(String reason) {
        LOG.error("Audit log: no checkpoint signed: {}", reason);
        return new IntegrityException(reason);
    }

    /** A checkpoint whose signature verifies, and where it was found. */
    private record Trusted(long size, byte[] rootHash, String source) {
    }

    /** The checkpoints the tree must extend: the database's latest and the checkpoint file's, each as signed. */
    private List<Trusted> trusted() {
        List<Trusted> trusted = new ArrayList<>();
        latest().ifPresent(stored -> open(stored.note(), "the database").ifPresent(trusted::add));
        if (file != null) {
            file.latest().flatMap(note -> open(note, "the checkpoint file " + file.path())).ifPresent(trusted::add);
        }
        trusted.sort(Comparator.comparingLong(Trusted::size));
        return trusted;
    }

    private Optional<Trusted> open(String note, String source) {
        try {
            Checkpoint checkpoint = Checkpoint.open(note, origin, verifier);
            return Optional.of(new Trusted(checkpoint.size(), checkpoint.rootHash(), source));
        } catch (NoteException e) {
            throw integrity("the checkpoint in " + source + " does not verify: " + e.reason());
        }
    }

    /** The latest signed checkpoint, if any. */
    public Optional<SignedCheckpoint> latest() {
        return jdbc.query("select * from audit_checkpoint order by tree_size desc limit 1", (rs, n) -> new SignedCheckpoint(
                rs.getLong("tree_size"), rs.getBytes("root_hash"), rs.getString("note"),
                rs.getObject("created", OffsetDateTime.class).toInstant())).stream().findFirst();
    }

    /** An inclusion proof. */
    public record Inclusion(long leafIndex, long treeSize, byte[] leafHash, byte[] rootHash, List<byte[]> proof, String auditEvent) {
    }

    /** The inclusion proof of a leaf in the tree of {@code treeSize} leaves. */
    public Inclusion inclusion(long leafIndex, long treeSize) {
        MerkleTree tree = tree(treeSize);
        String auditEvent = jdbc.queryForList("""
                select e.event_id from audit_leaf l join audit_event e on e.entry_id = l.entry_id where l.leaf_index = ?""",
                String.class, leafIndex).stream().findFirst().orElse(null);
        return new Inclusion(leafIndex, treeSize, tree.leafHash(leafIndex), tree.rootHash(treeSize),
                InclusionProof.generate(tree, leafIndex, treeSize), auditEvent);
    }

    /** The leaf index of an AuditEvent, once integrated. */
    public Optional<Long> leafOf(String auditEventId) {
        return jdbc.queryForList("""
                select l.leaf_index from audit_leaf l join audit_event e on e.entry_id = l.entry_id where e.event_id = ?""",
                Long.class, auditEventId).stream().findFirst();
    }

    /** The consistency proof from the tree of {@code first} leaves to the tree of {@code second}. */
    public List<byte[]> consistency(long first, long second) {
        return ConsistencyProof.generate(tree(second), first, second);
    }

    /**
     * How far the signatures have got, for metrics: cheap enough to ask every few seconds.
     *
     * @param signedEntries   entries covered by the last signed checkpoint (its tree size)
     * @param unsignedEntries entries recorded since and not yet in a checkpoint (approximate: an entry whose transaction
     *                        commits after a later one was integrated is counted only once integrated)
     * @param signedSince     when the last checkpoint was signed; before the first, when the first entry was recorded;
     *                        null for an empty log
     */
    public record Progress(long signedEntries, long unsignedEntries, Instant signedSince) {
    }

    /** The log's progress now. */
    public Progress progress() {
        return jdbc.queryForObject("""
                select (select tree_size from audit_checkpoint order by tree_size desc limit 1) as signed,
                       (select count(*) from audit_event
                        where entry_id > coalesce((select max(entry_id) from audit_leaf), 0)) as unsigned,
                       coalesce((select created from audit_checkpoint order by tree_size desc limit 1),
                                (select recorded from audit_event order by entry_id limit 1)) as since""", (rs, n) -> {
            OffsetDateTime since = rs.getObject("since", OffsetDateTime.class);
            return new Progress(rs.getLong("signed"), rs.getLong("unsigned"), since == null ? null : since.toInstant());
        });
    }

    /** How many leaves the tree has. */
    public long size() {
        Long size = jdbc.queryForObject("select count(*) from audit_leaf", Long.class);
        return size == null ? 0 : size;
    }

    private MerkleTree tree(long treeSize) {
        List<byte[]> leaves = jdbc.queryForList("""
                select e.leaf_hash from audit_leaf l join audit_event e on e.entry_id = l.entry_id
                where l.leaf_index < ? order by l.leaf_index""", byte[].class, treeSize);
        if (leaves.size() != treeSize) {
            throw new IllegalArgumentException("the log has " + leaves.size() + " leaves, not " + treeSize);
        }
        return MerkleTree.of(leaves);
    }

    /**
     * What verification found.
     *
     * @param checkpointSize the size of the largest trusted checkpoint checked against
     * @param leaves         how many leaves the database holds
     * @param verified       whether every leaf and entry is as the registry wrote it and matches every checkpoint
     * @param leafIndex      the first leaf that does not match, or null
     * @param auditEvent     its AuditEvent id, when known
     * @param reason         what does not match
     */
    public record Verification(long checkpointSize, long leaves, boolean verified, Long leafIndex, String auditEvent, String reason) {
        static Verification ok(long size, long leaves) {
            return new Verification(size, leaves, true, null, null, null);
        }

        static Verification mismatch(long size, long leaves, Long index, String auditEvent, String reason) {
            return new Verification(size, leaves, false, index, auditEvent, reason);
        }
    }

    /** Verifies the log against the checkpoints it holds and the checkpoint file ({@link #verify(String)}). */
    public Verification verify() {
        return verify(null);
    }

    /**
     * Recomputes the tree from the stored AuditEvents — each leaf from its JSON as stored, the root
     * after each leaf, each entry's signature — and checks it against every checkpoint it is given
     * or holds: the database's latest, the checkpoint file's latest and {@code heldByAuditor}. Names
     * the first leaf that does not match. Edits, deletions, insertions and reorderings made with SQL
     * all show; so does a row added with SQL (no signature of the registry's), and so does a log
     * truncated and re-signed, against a checkpoint kept outside the database.
     *
     * @param heldByAuditor a signed checkpoint note kept outside the database, or null
     */
    public Verification verify(String heldByAuditor) {
        long leaves = size();
        List<Trusted> checkpoints = new ArrayList<>();
        try {
            latest().flatMap(stored -> open(stored.note(), "the database")).ifPresent(checkpoints::add);
            if (file != null) {
                file.latest().flatMap(note -> open(note, "the checkpoint file")).ifPresent(checkpoints::add);
            }
            if (heldByAuditor != null) {
                open(heldByAuditor, "the auditor's checkpoint").ifPresent(checkpoints::add);
            }
        } catch (IntegrityException e) {
            return Verification.mismatch(0, leaves, null, null, e.getMessage());
        }
        checkpoints.sort(Comparator.comparingLong(Trusted::size));
        long size = checkpoints.isEmpty() ? 0 : checkpoints.get(checkpoints.size() - 1).size();
        CompactRange range = new CompactRange();
        long[] expected = {0};
        Verification[] found = {null};
        jdbc.query("""
                select l.leaf_index, l.root_after, e.leaf_hash, e.content, e.signature, e.event_id
                from audit_leaf l left join audit_event e on e.entry_id = l.entry_id
                order by l.leaf_index""", (RowCallbackHandler) rs -> {
            if (found[0] != null) {
                return;
            }
            long index = rs.getLong("leaf_index");
            String id = rs.getString("event_id");
            String content = rs.getString("content");
            if (index != expected[0]) {
                found[0] = Verification.mismatch(size, leaves, expected[0], null, "leaf " + expected[0] + " is missing");
                return;
            }
            if (content == null) {
                found[0] = Verification.mismatch(size, leaves, index, id, "the AuditEvent of this leaf is missing");
                return;
            }
            byte[] leaf = TreeHash.leaf(content.getBytes(StandardCharsets.UTF_8));
            if (!Arrays.equals(leaf, rs.getBytes("leaf_hash"))) {
                found[0] = Verification.mismatch(size, leaves, index, id, "the AuditEvent was changed after it was logged");
                return;
            }
            if (!EntrySigner.verifies(entryKey, leaf, rs.getBytes("signature"))) {
                found[0] = Verification.mismatch(size, leaves, index, id, "the AuditEvent was not written by the registry: "
                        + "its signature does not verify");
                return;
            }
            range.append(leaf);
            if (!Arrays.equals(range.rootHash(), rs.getBytes("root_after"))) {
                found[0] = Verification.mismatch(size, leaves, index, id, "the log's order or content before this leaf was changed");
                return;
            }
            for (Trusted checkpoint : checkpoints) {
                if (checkpoint.size() == range.size() && !Arrays.equals(range.rootHash(), checkpoint.rootHash())) {
                    found[0] = Verification.mismatch(size, leaves, index, id,
                            "the log's first " + checkpoint.size() + " leaves do not match the checkpoint in " + checkpoint.source());
                    return;
                }
            }
            expected[0]++;
        });
        if (found[0] != null) {
            return found[0];
        }
        if (expected[0] != leaves) {
            return Verification.mismatch(size, leaves, expected[0], null, "leaf " + expected[0] + " is missing");
        }
        for (Trusted checkpoint : checkpoints) {
            if (checkpoint.size() > leaves) {
                return Verification.mismatch(size, leaves, leaves, null, "the log ends before the checkpoint at size "
                        + checkpoint.size() + " in " + checkpoint.source() + ": truncated");
            }
        }
        for (Map<String, Object> entry : jdbc.queryForList("""
                select e.entry_id, e.event_id, e.content, e.leaf_hash, e.signature from audit_event e
                where not exists (select 1 from audit_leaf l where l.entry_id = e.entry_id) order by e.entry_id""")) {
            if (!written(entry)) {
                return Verification.mismatch(size, leaves, null, (String) entry.get("event_id"),
                        "an entry not yet in the tree was not written by the registry: its leaf or signature does not verify");
            }
        }
        if (size == 0 && !checkpoints.isEmpty() && !Arrays.equals(TreeHash.emptyTree(), checkpoints.get(0).rootHash())) {
            return Verification.mismatch(0, leaves, null, null, "the empty checkpoint does not have the empty tree's root");
        }
        return Verification.ok(size, leaves);
    }
}

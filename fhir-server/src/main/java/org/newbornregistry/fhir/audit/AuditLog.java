package org.newbornregistry.fhir.audit;

import org.newbornregistry.adapter.audit.merkle.Checkpoint;
import org.newbornregistry.adapter.audit.merkle.CompactRange;
import org.newbornregistry.adapter.audit.merkle.ConsistencyProof;
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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit log as an RFC 9162 Merkle tree, the way certificate-transparency logs keep theirs:
 * the database appends an entry (with its leaf hash) for every AuditEvent stored; this class
 * integrates new entries as consecutive leaves — each leaf keeps the tree's root after it — and
 * signs a checkpoint (c2sp.org/tlog-checkpoint) of the new size and root. It serves inclusion and
 * consistency proofs, and verifies the database against the last signed checkpoint by recomputing
 * every leaf from the stored AuditEvent.
 *
 * <p>Integration is serialised by an advisory lock, so several adapter instances share one log.
 * Proofs and verification read every leaf hash (32 bytes a leaf); at millions of entries, keep
 * the tree's perfect subtrees instead.
 */
public class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final int LOCK_SPACE = 0x4e42_5241;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final NoteSigner signer;
    private final NoteVerifier verifier;
    private final String origin;
    private final Clock clock;

    public AuditLog(JdbcTemplate jdbc, TransactionTemplate transactions, NoteSigner signer, String origin, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.signer = signer;
        this.verifier = new NoteVerifier(signer.verifierKey());
        this.origin = origin;
        this.clock = clock;
    }

    /** A signed checkpoint as stored. */
    public record SignedCheckpoint(long size, byte[] rootHash, String note, Instant created) {
    }

    /** The verifier key of the checkpoints, in vkey form ({@code name+keyid+base64}). */
    public String verifierKey() {
        return signer.verifierKey().encoded();
    }

    /** Integrates the entries not yet in the tree and signs a checkpoint if the tree grew; the latest checkpoint. */
    public Optional<SignedCheckpoint> integrate() {
        return transactions.execute(tx -> {
            jdbc.queryForList("select pg_advisory_xact_lock(?, 1)", Object.class, LOCK_SPACE);
            List<byte[]> leaves = jdbc.queryForList("""
                    select e.leaf_hash from audit_leaf l join audit_entry e on e.entry_id = l.entry_id order by l.leaf_index""",
                    byte[].class);
            List<Map<String, Object>> pending = jdbc.queryForList("""
                    select e.entry_id, e.leaf_hash from audit_entry e
                    where not exists (select 1 from audit_leaf l where l.entry_id = e.entry_id) order by e.entry_id""");
            Optional<SignedCheckpoint> latest = latest();
            if (pending.isEmpty() && latest.isPresent() && latest.get().size() == leaves.size()) {
                return latest;
            }
            CompactRange range = new CompactRange();
            leaves.forEach(range::append);
            Instant now = clock.instant();
            List<Object[]> rows = new ArrayList<>();
            for (Map<String, Object> entry : pending) {
                range.append((byte[]) entry.get("leaf_hash"));
                rows.add(new Object[]{range.size() - 1, entry.get("entry_id"), now.atOffset(ZoneOffset.UTC), range.rootHash()});
            }
            jdbc.batchUpdate("insert into audit_leaf (leaf_index, entry_id, integrated, root_after) values (?, ?, ?, ?)", rows);
            long size = range.size();
            byte[] root = size == 0 ? TreeHash.emptyTree() : range.rootHash();
            String note = Checkpoint.of(origin, size, root).sign(signer);
            jdbc.update("insert into audit_checkpoint (tree_size, root_hash, note, created) values (?, ?, ?, ?) on conflict do nothing",
                    size, root, note, now.atOffset(ZoneOffset.UTC));
            LOG.info("Audit log: {} entries integrated, checkpoint at size {}", pending.size(), size);
            return Optional.of(new SignedCheckpoint(size, root, note, now));
        });
    }

    /** The latest signed checkpoint, if any. */
    public Optional<SignedCheckpoint> latest() {
        return jdbc.query("select * from audit_checkpoint order by tree_size desc limit 1", (rs, n) -> new SignedCheckpoint(
                rs.getLong("tree_size"), rs.getBytes("root_hash"), rs.getString("note"),
                rs.getObject("created", java.time.OffsetDateTime.class).toInstant())).stream().findFirst();
    }

    /** An inclusion proof. */
    public record Inclusion(long leafIndex, long treeSize, byte[] leafHash, byte[] rootHash, List<byte[]> proof, String auditEvent) {
    }

    /** The inclusion proof of a leaf in the tree of {@code treeSize} leaves. */
    public Inclusion inclusion(long leafIndex, long treeSize) {
        MerkleTree tree = tree(treeSize);
        String auditEvent = jdbc.queryForList("""
                select r.res_id from audit_leaf l join audit_entry e on e.entry_id = l.entry_id join resource r on r.pid = e.res_pid
                where l.leaf_index = ?""", String.class, leafIndex).stream().findFirst().orElse(null);
        return new Inclusion(leafIndex, treeSize, tree.leafHash(leafIndex), tree.rootHash(treeSize),
                InclusionProof.generate(tree, leafIndex, treeSize), auditEvent);
    }

    /** The leaf index of an AuditEvent's first version, once integrated. */
    public Optional<Long> leafOf(String auditEventId) {
        return jdbc.queryForList("""
                select l.leaf_index from audit_leaf l join audit_entry e on e.entry_id = l.entry_id
                join resource r on r.pid = e.res_pid where r.res_type = 'AuditEvent' and r.res_id = ?""", Long.class, auditEventId)
                .stream().findFirst();
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
                       (select count(*) from audit_entry
                        where entry_id > coalesce((select max(entry_id) from audit_leaf), 0)) as unsigned,
                       coalesce((select created from audit_checkpoint order by tree_size desc limit 1),
                                (select recorded from audit_entry order by entry_id limit 1)) as since""", (rs, n) -> {
            java.time.OffsetDateTime since = rs.getObject("since", java.time.OffsetDateTime.class);
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
                select e.leaf_hash from audit_leaf l join audit_entry e on e.entry_id = l.entry_id
                where l.leaf_index < ? order by l.leaf_index""", byte[].class, treeSize);
        if (leaves.size() != treeSize) {
            throw new IllegalArgumentException("the log has " + leaves.size() + " leaves, not " + treeSize);
        }
        return MerkleTree.of(leaves);
    }

    /**
     * What verification found.
     *
     * @param checkpointSize the size of the last signed checkpoint checked against
     * @param leaves         how many leaves the database holds
     * @param verified       whether every leaf up to the checkpoint matches it
     * @param leafIndex      the first leaf that does not match, or null
     * @param auditEvent     its AuditEvent id, when known
     * @param reason         what does not match
     */
    public record Verification(long checkpointSize, long leaves, boolean verified, Long leafIndex, String auditEvent, String reason) {
        static Verification ok(long size, long leaves) {
            return new Verification(size, leaves, true, null, null, null);
        }

        static Verification mismatch(long size, long leaves, long index, String auditEvent, String reason) {
            return new Verification(size, leaves, false, index, auditEvent, reason);
        }
    }

    /**
     * Recomputes the tree from the stored AuditEvents — each leaf from its JSON as stored, the root
     * after each leaf — and checks it against the last signed checkpoint; names the first leaf that
     * does not match. Edits, deletions, insertions and reorderings made with SQL all show.
     */
    public Verification verify() {
        Optional<SignedCheckpoint> stored = latest();
        if (stored.isEmpty()) {
            return Verification.ok(0, size());
        }
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.open(stored.get().note(), origin, verifier);
        } catch (NoteException e) {
            return Verification.mismatch(stored.get().size(), size(), 0, null, "the checkpoint's signature does not verify: " + e.reason());
        }
        long size = checkpoint.size();
        CompactRange range = new CompactRange();
        long[] expected = {0};
        Verification[] found = {null};
        jdbc.query("""
                select l.leaf_index, l.root_after, e.leaf_hash, v.content, r.res_id
                from audit_leaf l left join audit_entry e on e.entry_id = l.entry_id
                left join resource_version v on v.res_pid = e.res_pid and v.version = e.version
                left join resource r on r.pid = e.res_pid
                where l.leaf_index < ? order by l.leaf_index""", (RowCallbackHandler) rs -> {
            if (found[0] != null) {
                return;
            }
            long index = rs.getLong("leaf_index");
            String id = rs.getString("res_id");
            String content = rs.getString("content");
            if (index != expected[0]) {
                found[0] = Verification.mismatch(size, size(), expected[0], null, "leaf " + expected[0] + " is missing");
                return;
            }
            if (content == null) {
                found[0] = Verification.mismatch(size, size(), index, id, "the AuditEvent of this leaf is missing");
                return;
            }
            byte[] leaf = TreeHash.leaf(content.getBytes(StandardCharsets.UTF_8));
            if (!Arrays.equals(leaf, rs.getBytes("leaf_hash"))) {
                found[0] = Verification.mismatch(size, size(), index, id, "the AuditEvent was changed after it was logged");
                return;
            }
            range.append(leaf);
            if (!Arrays.equals(range.rootHash(), rs.getBytes("root_after"))) {
                found[0] = Verification.mismatch(size, size(), index, id, "the log's order or content before this leaf was changed");
                return;
            }
            expected[0]++;
        }, size);
        if (found[0] != null) {
            return found[0];
        }
        if (expected[0] < size) {
            return Verification.mismatch(size, size(), expected[0], null, "the log ends before the signed checkpoint: truncated");
        }
        byte[] root = size == 0 ? TreeHash.emptyTree() : range.rootHash();
        if (!Arrays.equals(root, checkpoint.rootHash())) {
            return Verification.mismatch(size, size(), size - 1, null, "the recomputed tree does not match the signed checkpoint's root");
        }
        return Verification.ok(size, size());
    }
}

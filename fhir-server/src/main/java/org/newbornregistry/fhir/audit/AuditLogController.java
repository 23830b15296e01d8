package org.newbornregistry.fhir.audit;

import org.newbornregistry.fhir.error.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tamper-evident audit log over HTTP, for auditors and outside verifiers:
 * <ul>
 *   <li>{@code GET /audit/log/checkpoint}: the latest signed checkpoint (a C2SP signed note, text/plain);</li>
 *   <li>{@code GET /audit/log/key}: the verifier key of the checkpoints (vkey form);</li>
 *   <li>{@code GET /audit/log/proof/inclusion?auditEvent=ID} or {@code ?leafIndex=N}, optionally {@code &treeSize=M}
 *       (default the latest checkpoint's): the RFC 9162 inclusion proof, hashes base64;</li>
 *   <li>{@code GET /audit/log/proof/consistency?first=M&second=N}: the consistency proof between two tree sizes;</li>
 *   <li>{@code POST /audit/log/checkpoint}: integrate new entries, sign a checkpoint and hand it to the witnesses now;</li>
 *   <li>{@code POST /audit/log/verify}: recompute the tree from the database against the last signed checkpoint, the
 *       checkpoint file's and — sent as the body, text/plain — a checkpoint the auditor kept (recorded like a
 *       periodic verification, for the metrics and readiness).</li>
 * </ul>
 * Needs the {@code nbr/audit} scope (auditor and admin roles).
 */
@RestController
@RequestMapping("/audit/log")
public class AuditLogController {

    private static final MediaType TEXT = MediaType.parseMediaType("text/plain;charset=UTF-8");

    private final AuditLog log;
    private final AuditCheckpoints checkpoints;
    private final AuditVerifications verifications;

    public AuditLogController(AuditLog log, AuditCheckpoints checkpoints, AuditVerifications verifications) {
        this.log = log;
        this.checkpoints = checkpoints;
        this.verifications = verifications;
    }

    @GetMapping("/checkpoint")
    public ResponseEntity<byte[]> checkpoint() {
        AuditLog.SignedCheckpoint latest = log.latest().orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND, "no checkpoint has been signed yet"));
        return ResponseEntity.ok().contentType(TEXT).body(latest.note().getBytes(StandardCharsets.UTF_8));
    }

    @PostMapping("/checkpoint")
    public ResponseEntity<byte[]> integrate() {
        AuditLog.SignedCheckpoint latest;
        try {
            latest = checkpoints.checkpoint().orElseThrow();
        } catch (AuditLog.IntegrityException e) {
            throw Problems.of(HttpStatus.CONFLICT, "no checkpoint signed: " + e.getMessage());
        }
        return ResponseEntity.ok().contentType(TEXT).body(latest.note().getBytes(StandardCharsets.UTF_8));
    }

    @GetMapping("/key")
    public ResponseEntity<byte[]> key() {
        return ResponseEntity.ok().contentType(TEXT).body((log.verifierKey() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @GetMapping("/proof/inclusion")
    public Map<String, Object> inclusion(@RequestParam(name = "auditEvent", required = false) String auditEvent,
                                         @RequestParam(name = "leafIndex", required = false) Long leafIndex,
                                         @RequestParam(name = "treeSize", required = false) Long treeSize) {
        long size = treeSize != null ? treeSize
                : log.latest().orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND, "no checkpoint has been signed yet")).size();
        long index;
        if (auditEvent != null) {
            index = log.leafOf(auditEvent).orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND,
                    "AuditEvent " + auditEvent + " is not in the log yet (entries are integrated at each checkpoint)"));
        } else if (leafIndex != null) {
            index = leafIndex;
        } else {
            throw Problems.of(HttpStatus.BAD_REQUEST, "give auditEvent or leafIndex");
        }
        if (index < 0 || index >= size || size > log.size()) {
            throw Problems.of(HttpStatus.BAD_REQUEST, "leaf " + index + " is not in a tree of " + size + " leaves (the log has " + log.size() + ")");
        }
        AuditLog.Inclusion proof = log.inclusion(index, size);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("auditEvent", proof.auditEvent());
        body.put("leafIndex", proof.leafIndex());
        body.put("treeSize", proof.treeSize());
        body.put("leafHash", base64(proof.leafHash()));
        body.put("rootHash", base64(proof.rootHash()));
        body.put("proof", proof.proof().stream().map(AuditLogController::base64).toList());
        return body;
    }

    @GetMapping("/proof/consistency")
    public Map<String, Object> consistency(@RequestParam("first") long first, @RequestParam("second") long second) {
        if (first < 0 || first > second || second > log.size()) {
            throw Problems.of(HttpStatus.BAD_REQUEST, "need 0 <= first <= second <= " + log.size());
        }
        List<byte[]> proof = log.consistency(first, second);
        return Map.of("first", first, "second", second, "proof", proof.stream().map(AuditLogController::base64).toList());
    }

    @PostMapping("/verify")
    public AuditLog.Verification verify(@RequestBody(required = false) String heldByAuditor) {
        return verifications.verify(heldByAuditor == null || heldByAuditor.isBlank() ? null : heldByAuditor);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}

package org.newbornregistry.console;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import org.newbornregistry.adapter.audit.merkle.Checkpoint;
import org.newbornregistry.adapter.audit.merkle.InclusionProof;
import org.newbornregistry.adapter.audit.merkle.NoteException;
import org.newbornregistry.adapter.audit.merkle.NoteVerifier;
import org.newbornregistry.adapter.audit.merkle.ProofException;
import org.newbornregistry.adapter.audit.merkle.VerifierKey;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Audit integrity for auditors: the last signed checkpoint, checked here against the verifier key
 * (which an auditor should compare with the key published out of band); a button that has the
 * adapter recompute the whole tree against that checkpoint ({@code POST /audit/log/verify}); and the
 * inclusion proof of one audit entry, whose path this page follows to the signed root itself.
 */
@Controller
public class AuditIntegrityPageController {

    private final RegistryApi api;

    public AuditIntegrityPageController(RegistryApi api) {
        this.api = api;
    }

    /** What this page found when it opened the checkpoint with the key. */
    public record SignedRoot(String note, String key, boolean signatureValid, long size, String rootHash, String problem) {
    }

    /** An inclusion proof and whether its path leads to the signed root. */
    public record Inclusion(String auditEvent, long leafIndex, long treeSize, String leafHash, List<String> path,
                            boolean leadsToSignedRoot, String problem) {
    }

    @GetMapping("/console/audit")
    public String integrity(@RequestParam(name = "auditEvent", required = false) String auditEvent,
                            HttpServletRequest request, Model model) {
        SignedRoot root = signedRoot(request);
        model.addAttribute("root", root);
        model.addAttribute("auditEvent", auditEvent);
        if (auditEvent != null && !auditEvent.isBlank() && root != null && root.signatureValid()) {
            try {
                JsonNode proof = api.getJson(request, "/audit/log/proof/inclusion",
                        Map.of("auditEvent", auditEvent.trim(), "treeSize", Long.toString(root.size())));
                model.addAttribute("inclusion", inclusion(proof, root));
            } catch (ApiRefusedException e) {
                if (e.status() != 404 && e.status() != 400) {
                    throw e;
                }
                model.addAttribute("inclusionProblem", e.getMessage());
            }
        }
        return "console/audit";
    }

    @PostMapping("/console/audit/verify")
    public String verify(HttpServletRequest request, @RequestParam(name = "checkpoint", required = false) String heldCheckpoint,
                         RedirectAttributes redirect) {
        // Why the auditor's own checkpoint: the database's checkpoints are what a database superuser can replace.
        redirect.addFlashAttribute("verification", heldCheckpoint == null || heldCheckpoint.isBlank()
                ? api.postJson(request, "/audit/log/verify")
                : api.postText(request, "/audit/log/verify", heldCheckpoint.replace("\r\n", "\n").strip() + "\n"));
        return "redirect:/console/audit";
    }

    private SignedRoot signedRoot(HttpServletRequest request) {
        String note;
        try {
            note = api.get(request, "/audit/log/checkpoint", Map.of(), "text/plain").body();
        } catch (ApiRefusedException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
        String key = api.get(request, "/audit/log/key", Map.of(), "text/plain").body().trim();
        try {
            Checkpoint checkpoint = Checkpoint.parse(new NoteVerifier(VerifierKey.parse(key)).open(note));
            return new SignedRoot(note, key, true, checkpoint.size(), Base64.getEncoder().encodeToString(checkpoint.rootHash()), null);
        } catch (NoteException | IllegalArgumentException e) {
            return new SignedRoot(note, key, false, 0, null, e.getMessage());
        }
    }

    private static Inclusion inclusion(JsonNode proof, SignedRoot root) {
        List<String> path = new ArrayList<>();
        proof.path("proof").forEach(node -> path.add(node.asText()));
        try {
            InclusionProof.verify(proof.path("leafIndex").asLong(), proof.path("treeSize").asLong(),
                    Base64.getDecoder().decode(proof.path("leafHash").asText()),
                    path.stream().map(Base64.getDecoder()::decode).toList(), Base64.getDecoder().decode(root.rootHash()));
            return new Inclusion(proof.path("auditEvent").asText(null), proof.path("leafIndex").asLong(), proof.path("treeSize").asLong(),
                    proof.path("leafHash").asText(), path, true, null);
        } catch (ProofException | IllegalArgumentException e) {
            return new Inclusion(proof.path("auditEvent").asText(null), proof.path("leafIndex").asLong(), proof.path("treeSize").asLong(),
                    proof.path("leafHash").asText(), path, false, e.getMessage());
        }
    }
}

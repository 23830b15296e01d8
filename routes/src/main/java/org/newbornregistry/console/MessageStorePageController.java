package org.newbornregistry.console;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HL7 v2 message store for operators: messages filtered by status and ACK code with their
 * problems, and a replay button that sends a stored message through the intake again
 * ({@code /admin/hl7/messages}). Metadata only: the bytes stay behind the API's {@code /raw}.
 */
@Controller
public class MessageStorePageController {

    static final List<String> STATUSES = List.of("ACCEPTED", "REJECTED", "REFUSED", "PROCESSING");
    static final List<String> ACK_CODES = List.of("AA", "AE", "AR");

    private final RegistryApi api;

    public MessageStorePageController(RegistryApi api) {
        this.api = api;
    }

    @GetMapping("/console/messages")
    public String messages(@RequestParam(name = "status", required = false) String status,
                           @RequestParam(name = "ackCode", required = false) String ackCode,
                           @RequestParam(name = "cursor", required = false) String cursor,
                           HttpServletRequest request, Model model) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("status", status);
        query.put("ackCode", ackCode);
        query.put("cursor", cursor);
        query.put("limit", "50");
        JsonNode page = api.getJson(request, "/admin/hl7/messages", query);
        model.addAttribute("messages", page.path("messages"));
        model.addAttribute("status", status);
        model.addAttribute("ackCode", ackCode);
        model.addAttribute("statuses", STATUSES);
        model.addAttribute("ackCodes", ACK_CODES);
        model.addAttribute("next", page.path("next").isTextual() ? RegistryApi.nextPage(request, page.path("next").asText(), "cursor") : null);
        return "console/messages";
    }

    @PostMapping("/console/messages/{id}/replay")
    public String replay(@PathVariable("id") long id, HttpServletRequest request, RedirectAttributes redirect) {
        JsonNode replay = api.postJson(request, "/admin/hl7/messages/" + id + "/$replay");
        redirect.addFlashAttribute("replayed", "Message " + id + " replayed: " + replay.path("before").path("status").asText()
                + " " + replay.path("before").path("ackCode").asText("") + " → " + replay.path("after").path("status").asText()
                + " " + replay.path("after").path("ackCode").asText(""));
        return "redirect:/console/messages";
    }
}

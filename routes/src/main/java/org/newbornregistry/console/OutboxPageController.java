package org.newbornregistry.console;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import org.newbornregistry.fhir.outbox.OutboxStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The national-index outbox for operators ({@code /admin/index/outbox}): rows per status, the rows
 * of one status with what became of them, and a Retry button for a parked row once its cause is
 * fixed. Rows name registry ids and outcomes in words; never a pseudonym or a genotype.
 */
@Controller
public class OutboxPageController {

    /** The statuses, as the page shows and asks for them, in the order operators look at them: what needs them first. */
    static final List<String> STATUSES = Stream.of(OutboxStatus.PARKED, OutboxStatus.PENDING, OutboxStatus.DONE,
            OutboxStatus.CANCELLED).map(OutboxStatus::name).toList();

    private final RegistryApi api;

    public OutboxPageController(RegistryApi api) {
        this.api = api;
    }

    @GetMapping("/console/outbox")
    public String outbox(@RequestParam(name = "status", defaultValue = "PARKED") String status,
                         HttpServletRequest request, Model model) {
        JsonNode summary = api.getJson(request, "/admin/index/outbox", Map.of());
        JsonNode rows = api.getJson(request, "/admin/index/outbox/rows", Map.of("status", status, "limit", "100"));
        model.addAttribute("summary", summary);
        model.addAttribute("rows", rows.path("rows"));
        model.addAttribute("status", rows.path("status").asText(status));
        model.addAttribute("statuses", STATUSES);
        return "console/outbox";
    }

    @PostMapping("/console/outbox/{id}/retry")
    public String retry(@PathVariable("id") long id, HttpServletRequest request, RedirectAttributes redirect) {
        JsonNode row = api.postJson(request, "/admin/index/outbox/rows/" + id + "/$retry");
        redirect.addFlashAttribute("retried", "Outbox row " + id + " retried: PARKED → " + row.path("status").asText());
        return "redirect:/console/outbox";
    }
}

package org.newbornregistry.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import java.util.Map;
import java.util.TreeMap;

/**
 * The overview: messages per hour by outcome, the national-index outbox, consents by status and
 * purpose, and the last signed audit checkpoint — from {@code /audit/overview}, as charts with
 * the same figures in tables beside them.
 */
@Controller
public class OverviewController {

    private final RegistryApi api;
    private final ObjectMapper json;

    public OverviewController(RegistryApi api, ObjectMapper json) {
        this.api = api;
        this.json = json;
    }

    @GetMapping({"/console", "/console/"})
    public String root() {
        return "redirect:/console/overview";
    }

    @GetMapping("/console/overview")
    public String overview(HttpServletRequest request, Model model) {
        JsonNode overview = api.getJson(request, "/audit/overview", Map.of("hours", "24"));
        model.addAttribute("overview", overview);
        model.addAttribute("consentsByStatus", byStatus(overview.path("consents")));
        model.addAttribute("chartData", chartData(overview));
        return "console/overview";
    }

    /** Consent counts as status → purpose → count, for the table. */
    private static Map<String, Map<String, Long>> byStatus(JsonNode consents) {
        Map<String, Map<String, Long>> table = new TreeMap<>();
        for (JsonNode row : consents) {
            table.computeIfAbsent(row.path("status").asText(), s -> new TreeMap<>())
                    .merge(row.path("purpose").isNull() ? "(none stated)" : row.path("purpose").asText(), row.path("count").asLong(), Long::sum);
        }
        return table;
    }

    /** The series the page's script draws, as JSON in a data attribute (the page's CSP allows no inline script). */
    private String chartData(JsonNode overview) {
        ObjectNode data = json.createObjectNode();
        ArrayNode hours = data.putArray("hours");
        ArrayNode accepted = data.putArray("accepted");
        ArrayNode rejected = data.putArray("rejected");
        ArrayNode refused = data.putArray("refused");
        for (JsonNode hour : overview.path("hours")) {
            hours.add(hour.path("start").asText().substring(11, 16));
            accepted.add(hour.path("accepted").asLong());
            rejected.add(hour.path("rejected").asLong());
            refused.add(hour.path("refused").asLong());
        }
        ObjectNode outbox = data.putObject("outbox");
        for (String field : new String[] {"pending", "delivered", "parked", "cancelled"}) {
            outbox.put(field, overview.path("outbox").path(field).asLong());
        }
        return data.toString();
    }
}

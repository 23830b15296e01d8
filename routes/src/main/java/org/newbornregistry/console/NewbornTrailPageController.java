package org.newbornregistry.console;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import org.newbornregistry.fhir.security.Role;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A newborn's trail: everything that happened to one newborn, oldest first. Auditors find the
 * newborn by an identifier (a GET, so a trail can be bookmarked and linked from the consent log);
 * investigators by the pseudonym the national index reported and their case reference (a POST,
 * so the pseudonym stays out of URLs and histories; the API re-identifies and audits it). Either
 * way the page shows what {@code /audit/newborn-trail} answers, which never holds a genotype value.
 */
@Controller
public class NewbornTrailPageController {

    private final RegistryApi api;

    public NewbornTrailPageController(RegistryApi api) {
        this.api = api;
    }

    @GetMapping("/console/trail")
    public String byIdentifier(@RequestParam(name = "identifier", required = false) String identifier,
                               @RequestParam(name = "patient", required = false) String patient,
                               Authentication user, HttpServletRequest request, Model model) {
        forms(user, model);
        model.addAttribute("identifier", identifier);
        if (isPresent(identifier) || isPresent(patient)) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("identifier", identifier);
            query.put("patient", isPresent(identifier) ? null : patient);
            show(api.getJson(request, "/audit/newborn-trail", query), model);
        }
        return "console/trail";
    }

    @PostMapping("/console/trail")
    public String byPseudonym(@RequestParam(name = "pseudonym", defaultValue = "") String pseudonym,
                              @RequestParam(name = "caseReference", defaultValue = "") String caseReference,
                              Authentication user, HttpServletRequest request, Model model) {
        forms(user, model);
        model.addAttribute("caseReference", caseReference);
        show(api.postJson(request, "/audit/newborn-trail/by-pseudonym",
                Map.of("pseudonym", pseudonym, "caseReference", caseReference)), model);
        return "console/trail";
    }

    private static void forms(Authentication user, Model model) {
        model.addAttribute("byIdentifier", ConsoleNavigation.holds(user, Role.AUDIT_SCOPE));
        model.addAttribute("byPseudonym", ConsoleNavigation.holds(user, Role.REIDENTIFY_SCOPE));
    }

    private static void show(JsonNode trail, Model model) {
        Map<String, Integer> kinds = new TreeMap<>();
        trail.path("entries").forEach(entry -> kinds.merge(entry.path("kind").asText(), 1, Integer::sum));
        model.addAttribute("trail", trail);
        model.addAttribute("kinds", kinds);
    }

    private static boolean isPresent(String value) {
        return value != null && !value.isBlank();
    }
}

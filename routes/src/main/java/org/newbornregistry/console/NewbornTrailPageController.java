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

import java.util.Map;
import java.util.TreeMap;

/**
 * A newborn's trail: everything that happened to one newborn, oldest first. Auditors find the
 * newborn by an identifier, or follow a consent log row's link (by opaque record id); investigators
 * by the pseudonym the national index reported and their case reference (the API re-identifies and
 * audits it). Identifiers and pseudonyms are POSTed, so they stay out of URLs and browser histories.
 * Either way the page shows what {@code /audit/newborn-trail} answers, which never holds a genotype value.
 */
@Controller
public class NewbornTrailPageController {

    private final RegistryApi api;

    public NewbornTrailPageController(RegistryApi api) {
        this.api = api;
    }

    /** The page, and the trail of a record id when given (the consent log links here; record ids are opaque). */
    @GetMapping("/console/trail")
    public String byRecord(@RequestParam(name = "patient", required = false) String patient,
                           Authentication user, HttpServletRequest request, Model model) {
        forms(user, model);
        if (patient != null && !patient.isBlank()) {
            show(api.getJson(request, "/audit/newborn-trail", Map.of("patient", patient)), model);
        }
        return "console/trail";
    }

    /** An auditor's search by identifier: a POST, so that a hospital number stays out of URLs and browser history. */
    @PostMapping(path = "/console/trail", params = "identifier")
    public String byIdentifier(@RequestParam("identifier") String identifier, Authentication user, HttpServletRequest request,
                               Model model) {
        forms(user, model);
        model.addAttribute("identifier", identifier);
        show(api.getJson(request, "/audit/newborn-trail", Map.of("identifier", identifier)), model);
        return "console/trail";
    }

    @PostMapping(path = "/console/trail", params = "pseudonym")
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

}

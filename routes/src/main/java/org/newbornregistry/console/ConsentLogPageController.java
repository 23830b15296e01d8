package org.newbornregistry.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The consent log: every version of every consent, filtered by date range, purpose, status and
 * organisation, a page at a time from {@code /audit/consent-log}, with a CSV export of everything
 * the filters select. The filter form works as a plain GET; with htmx it replaces the results only.
 */
@Controller
public class ConsentLogPageController {

    static final int PAGE_SIZE = 50;
    static final List<String> PURPOSES = List.of("screening", "spot-storage", "str-profiling", "national-index-submission");
    static final List<String> STATUSES = List.of("draft", "proposed", "active", "rejected", "inactive", "entered-in-error", "deleted");

    private final RegistryApi api;

    public ConsentLogPageController(RegistryApi api) {
        this.api = api;
    }

    /** The filters as the form sends them, bound from the query: dates (UTC days, both included), codes and free text. */
    public record Filters(String from, String to, String purpose, String status, String organization) {

        Map<String, String> apiQuery() {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("from", day(from, 0));
            query.put("to", day(to, 1));
            query.put("purpose", purpose);
            query.put("status", status);
            query.put("organization", organization);
            return query;
        }

        private static String day(String date, int plusDays) {
            if (date == null || date.isBlank()) {
                return null;
            }
            try {
                return LocalDate.parse(date).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
            } catch (DateTimeParseException e) {
                throw new ApiRefusedException(400, "a date is written YYYY-MM-DD");
            }
        }
    }

    @GetMapping("/console/consents")
    public String consents(Filters filters, @RequestParam(name = "after", required = false) String after,
                           @RequestHeader(name = "HX-Request", required = false) String htmx,
                           HttpServletRequest request, Model model) {
        Map<String, String> query = filters.apiQuery();
        query.put("limit", Integer.toString(PAGE_SIZE));
        query.put("after", after);
        RegistryApi.Answer answer = api.get(request, "/audit/consent-log", query, "application/json");
        model.addAttribute("filters", filters);
        model.addAttribute("purposes", PURPOSES);
        model.addAttribute("statuses", STATUSES);
        model.addAttribute("rows", api.json(answer));
        model.addAttribute("next", answer.next().map(link -> RegistryApi.nextPage(request, link, "after")).orElse(null));
        model.addAttribute("csv", UriComponentsBuilder.fromPath("/console/consents.csv").query(request.getQueryString())
                .replaceQueryParam("after").build().toUriString());
        return htmx != null ? "console/consents :: results" : "console/consents";
    }

    /** All versions the filters select, as CSV, page after page from the API. */
    @GetMapping("/console/consents.csv")
    public void csv(Filters filters, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, String> query = filters.apiQuery();
        query.put("format", "csv");
        RegistryApi.Answer page = api.get(request, "/audit/consent-log", query, "text/csv");
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"consent-log.csv\"");
        response.setHeader("Cache-Control", "no-store");
        Writer out = response.getWriter();
        out.write(page.body());
        Optional<String> next = page.next();
        while (next.isPresent()) {
            page = api.follow(request, next.get(), "text/csv");
            String body = page.body();
            out.write(body.substring(body.indexOf("\r\n") + 2));
            next = page.next();
        }
        out.flush();
    }
}

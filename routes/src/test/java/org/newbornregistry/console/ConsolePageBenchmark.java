package org.newbornregistry.console;

import ca.uhn.fhir.context.FhirContext;
import org.apache.camel.CamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.newbornregistry.NbrApplication;
import org.newbornregistry.conformance.FhirExamples;
import org.newbornregistry.conformance.TwinBirth;
import org.newbornregistry.fhir.TestTokens;
import org.newbornregistry.fhir.hl7.InboundMessageService;
import org.newbornregistry.fhir.security.Role;
import org.newbornregistry.routes.index.IndexForwardingRoute;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's pages and the audit APIs behind them over a registry holding many consents
 * (default 100,000: {@code -Dbench.consents}), timed as an auditor's browser would wait for them —
 * signed in through the console's own sign-in, over real HTTP, the page fully rendered. Consents are
 * copies of {@code examples/fhir/consent.json} with unique identifiers, every tenth withdrawn
 * ({@code inactive}), loaded by the hospital in transaction Bundles of 500; a typical newborn (birth
 * message, consent, a withdrawal) is added last for the trail. The outbox route is stopped while
 * measuring, so the figures are the pages' own. Prints the median, fastest and slowest of
 * {@code bench.repeats} (7) loads per page; asserts nothing.
 * {@code mvn -B -ntp -Pbenchmark -pl routes -am verify -Dit.test=ConsolePageBenchmark -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
@SpringBootTest(classes = NbrApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsolePageBenchmark {

    private static final int CONSENTS = Integer.getInteger("bench.consents", 100_000);
    private static final int PER_BUNDLE = 500;
    private static final int REPEATS = Integer.getInteger("bench.repeats", 7);
    private static final int INDEX_PORT = AvailablePortFinder.getNextAvailable();
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nbr.database.embedded.data-dir", () -> "target/embedded-postgres/bench-" + UUID.randomUUID());
        registry.add("nbr.audit.checkpoint-file", () -> "target/audit-checkpoints/" + UUID.randomUUID() + ".log");
        registry.add("nbr.mllp.enabled", () -> "false");
        registry.add("nbr.index.reference.port", () -> INDEX_PORT);
        registry.add("nbr.index.url", () -> "http://127.0.0.1:" + INDEX_PORT + "/index");
        registry.add("nbr.retention.enabled", () -> "false");
    }

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    InboundMessageService inbound;

    private final HttpClient hospital = TestTokens.http(TestTokens.all());
    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    @Test
    @Timeout(value = 2, unit = TimeUnit.HOURS)
    void measure() throws Exception {
        camel.getRouteController().stopRoute(IndexForwardingRoute.ROUTE_ID);
        System.out.printf("%nConsole page benchmark: %d cores, max heap %d MB, durable embedded PostgreSQL%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        long loadStart = System.nanoTime();
        TwinBirth typical = load();
        System.out.printf("loaded %,d consents in %.0f s; consent rows (versions) in the store: %,d%n", CONSENTS,
                (System.nanoTime() - loadStart) / 1e9, jdbc.queryForObject(
                        "select count(*) from resource_version where res_type = 'Consent'", Long.class));

        signIn("auditor");
        String auditorToken = TestTokens.of(Role.AUDITOR);
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("console overview", "/console/overview");
        pages.put("console consent log, first page (50)", "/console/consents");
        pages.put("console consent log, status=inactive", "/console/consents?status=inactive");
        pages.put("console consent log, purpose + status + today", "/console/consents?purpose=national-index-submission&status=inactive&from="
                + java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        pages.put("console consent log, no match (organisation)", "/console/consents?organization=NO-SUCH-ORGANISATION");
        pages.put("console trail of a typical newborn", "/console/trail?patient=" + patientId(TwinBirth.MRN_SYSTEM, typical.mrn()));
        pages.put("console trail of the newborn with every consent", "/console/trail?patient=" + jdbc.queryForObject(
                "select target_id from idx_reference where res_type = 'Consent' and param = 'patient' limit 1", String.class));
        System.out.printf("%-52s %9s %9s %9s %10s%n", "page (" + REPEATS + " loads each)", "median ms", "min ms", "max ms", "bytes");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            time(page.getKey(), () -> browser.send(get(page.getValue()).build(), HttpResponse.BodyHandlers.ofString()));
        }
        time("API /audit/overview", () -> browser.send(get("/audit/overview?hours=24").header("Authorization", "Bearer " + auditorToken)
                .build(), HttpResponse.BodyHandlers.ofString()));
        time("API /audit/consent-log?limit=50", () -> browser.send(get("/audit/consent-log?limit=50")
                .header("Authorization", "Bearer " + auditorToken).build(), HttpResponse.BodyHandlers.ofString()));
        time("console CSV export, status=inactive (all pages)", () -> browser.send(get("/console/consents.csv?status=inactive").build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    /** The consents, and a typical newborn's story last (so the trail query is not helped by recency). */
    private TwinBirth load() throws Exception {
        FhirExamples story = FhirExamples.story();
        post("/fhir", story.json("birth-transaction.json"));
        Consent template = FHIR.newJsonParser().parseResource(Consent.class, story.json("consent.json"));
        int written = 0;
        while (written < CONSENTS) {
            Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            for (int i = 0; i < PER_BUNDLE && written < CONSENTS; i++, written++) {
                Consent consent = template.copy();
                consent.getIdentifierFirstRep().setValue("BENCH-" + UUID.randomUUID());
                if (written % 10 == 0) {
                    consent.setStatus(Consent.ConsentState.INACTIVE);
                }
                bundle.addEntry().setResource(consent).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Consent");
            }
            post("/fhir", FHIR.newJsonParser().encodeResourceToString(bundle));
            if (written % 10_000 == 0) {
                System.out.printf("  %,d consents%n", written);
            }
        }
        TwinBirth birth = TwinBirth.unique();
        inbound.receive(birth.bytes());
        Consent own = template.copy().setPatient(new Reference("Patient?identifier=" + TwinBirth.MRN_SYSTEM + "|" + birth.mrn()));
        own.getIdentifierFirstRep().setValue("BENCH-" + UUID.randomUUID());
        post("/fhir/Consent", FHIR.newJsonParser().encodeResourceToString(own));
        String condition = "Consent?identifier=" + URLEncoder.encode(own.getIdentifierFirstRep().getSystem() + "|"
                + own.getIdentifierFirstRep().getValue(), StandardCharsets.UTF_8);
        put("/fhir/" + condition, FHIR.newJsonParser().encodeResourceToString(own.setStatus(Consent.ConsentState.INACTIVE)));
        return birth;
    }

    private String patientId(String system, String value) {
        return jdbc.queryForObject("""
                select r.res_id from idx_token t join resource r on r.pid = t.res_pid
                where t.res_type = 'Patient' and t.param = 'identifier' and t.system = ? and t.code = ?""", String.class, system, value);
    }

    private void post(String path, String json) throws Exception {
        HttpResponse<String> response = hospital.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IllegalStateException("loading answered " + response.statusCode());
        }
    }

    private void put(String path, String json) throws Exception {
        HttpResponse<String> response = hospital.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/fhir+json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("updating answered " + response.statusCode());
        }
    }

    private void signIn(String role) throws Exception {
        String page = browser.send(get("/console/sign-in").build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = CSRF.matcher(page);
        if (!csrf.find()) {
            throw new IllegalStateException("the sign-in page has no CSRF token");
        }
        HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/console/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("role=" + role + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (signedIn.statusCode() != 200 || signedIn.uri().getPath().endsWith("/sign-in")) {
            throw new IllegalStateException("sign-in answered " + signedIn.statusCode());
        }
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
    }

    private interface Load {
        HttpResponse<String> run() throws Exception;
    }

    private void time(String name, Load load) throws Exception {
        List<Double> millis = new ArrayList<>();
        long bytes = 0;
        load.run();
        for (int i = 0; i < REPEATS; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = load.run();
            millis.add((System.nanoTime() - start) / 1e6);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(name + " answered " + response.statusCode());
            }
            bytes = response.body().length();
        }
        Collections.sort(millis);
        System.out.printf("%-52s %9.0f %9.0f %9.0f %,10d%n", name, millis.get(millis.size() / 2), millis.get(0),
                millis.get(millis.size() - 1), bytes);
    }
}

package org.newbornregistry.routes.mllp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.TwinBirth;
import org.newbornregistry.fhir.TestTokens;
import org.newbornregistry.fhir.audit.AuditLog;
import org.newbornregistry.fhir.audit.AuditVerifications;
import org.newbornregistry.fhir.security.Role;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What operators see of the running application: the Prometheus scrape and who may read it, the
 * liveness and readiness groups and what takes the adapter out of service, and the alert rules
 * shipped in {@code ops/prometheus}. Why in this package: it extends the MLLP tests' support class
 * to share their application context (the whole adapter with its MLLP listener) instead of
 * starting another.
 */
class OperationsIT extends MllpListenerTestSupport {

    private static final Path ALERT_RULES = Path.of("..", "ops", "prometheus", "nbr-alerts.yml");
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int httpPort;

    @Autowired
    CamelContext camel;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AuditLog auditLog;

    @Autowired
    AuditVerifications verifications;

    @Autowired
    PlatformTransactionManager transactions;

    // --- metrics

    @Test
    void shouldServeTheScrapeToMonitorAndAdminTokensOnly() throws Exception {
        // when
        HttpResponse<String> monitor = get("/actuator/prometheus", TestTokens.of(Role.MONITOR));
        HttpResponse<String> admin = get("/actuator/prometheus", TestTokens.of(Role.ADMIN));
        HttpResponse<String> hospital = get("/actuator/prometheus", TestTokens.of(Role.HOSPITAL));
        HttpResponse<String> anonymous = get("/actuator/prometheus", null);
        HttpResponse<String> monitorElsewhere = get("/admin/hl7/messages", TestTokens.of(Role.MONITOR));

        // then
        assertThat(monitor.statusCode()).isEqualTo(200);
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(hospital.statusCode()).isEqualTo(403);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(monitorElsewhere.statusCode()).as("the scrape token opens nothing else").isEqualTo(403);
        Set<String> names = sampleNames(monitor.body());
        assertThat(names).as("Hikari's pool metrics are bound").contains("hikaricp_connections_active", "hikaricp_connections_pending");
        assertThat(names).contains("nbr_hl7_messages_total", "nbr_hl7_mapping_seconds_bucket", "nbr_mllp_ack_latency_seconds_bucket",
                "nbr_mllp_connections", "nbr_index_outbox_rows", "nbr_index_outbox_oldest_pending_age_seconds",
                "nbr_index_deliveries_total", "nbr_consent_decisions_total", "nbr_audit_checkpoint_age_seconds",
                "nbr_audit_log_entries", "nbr_audit_log_unsigned_entries", "nbr_audit_verify_result",
                "nbr_audit_verify_timestamp_seconds");
    }

    @Test
    void shouldCountAMessageByTypeTriggerAndAckAndTimeItWithoutNamingIt() throws Exception {
        // given
        TwinBirth birth = TwinBirth.unique();
        String before = scrape();

        // when
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            assertThat(client.send(birth.bytes())).contains("\rMSA|AA|" + birth.controlId());
        }
        String after = scrape();

        // then
        Map<String, String> births = Map.of("type", "ADT", "trigger", "A01", "ack", "AA");
        assertThat(value(after, "nbr_hl7_messages_total", births) - value(before, "nbr_hl7_messages_total", births)).isEqualTo(1.0);
        assertThat(value(after, "nbr_hl7_mapping_seconds_count", Map.of()) - value(before, "nbr_hl7_mapping_seconds_count", Map.of()))
                .isEqualTo(1.0);
        assertThat(value(after, "nbr_mllp_ack_latency_seconds_count", Map.of("ack", "AA"))
                - value(before, "nbr_mllp_ack_latency_seconds_count", Map.of("ack", "AA"))).isEqualTo(1.0);
        assertThat(after).doesNotContain(birth.controlId()).doesNotContain(birth.mrn()).doesNotContain(birth.motherMrn());
    }

    @Test
    void shouldTagAMessageTypeTheAdapterDoesNotTakeAsOtherWithItsAr() throws Exception {
        // given: a message type nobody expects, as a sender may write anything in MSH-9
        TwinBirth birth = TwinBirth.unique();
        String odd = birth.text().replace("|ADT^A01", "|ZQ7^X99");
        String before = scrape();

        // when
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            assertThat(client.send(odd.getBytes(java.nio.charset.StandardCharsets.US_ASCII))).contains("\rMSA|AR|");
        }
        String after = scrape();

        // then
        Map<String, String> other = Map.of("type", "other", "trigger", "other", "ack", "AR");
        assertThat(value(after, "nbr_hl7_messages_total", other) - value(before, "nbr_hl7_messages_total", other)).isEqualTo(1.0);
        assertThat(after).doesNotContain("ZQ7").doesNotContain("X99");
    }

    @Test
    void shouldMeasureFhirRequestsThroughTheHapiServlet() throws Exception {
        // when
        assertThat(get("/fhir/Patient?_id=nobody", TestTokens.all()).statusCode()).isEqualTo(200);
        assertThat(get("/fhir/Patient/nobody-at-all", TestTokens.all()).statusCode()).isEqualTo(404);

        // then: Boot's filter sees the servlet's requests, named by route template, never by id
        String scrape = scrape();
        assertThat(value(scrape, "http_server_requests_seconds_count", Map.of("method", "GET", "status", "200",
                "uri", "/fhir/{type}", "fhir_resource", "Patient"))).isGreaterThanOrEqualTo(1.0);
        assertThat(value(scrape, "http_server_requests_seconds_count", Map.of("method", "GET", "status", "404",
                "uri", "/fhir/{type}/{id}", "fhir_resource", "Patient"))).isGreaterThanOrEqualTo(1.0);
        assertThat(scrape).doesNotContain("nobody");
    }

    @Test
    void shouldShowOpenMllpConnections() throws Exception {
        // given
        double before = value(scrape(), "nbr_mllp_connections", Map.of());

        // when
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            client.send(TwinBirth.unique().bytes());

            // then
            await().atMost(Duration.ofSeconds(10)).until(() -> value(scrape(), "nbr_mllp_connections", Map.of()) == before + 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> value(scrape(), "nbr_mllp_connections", Map.of()) == before);
    }

    // --- health groups

    @Test
    void shouldAnswerProbesWithoutATokenAndShowComponentsToAdminsOnly() throws Exception {
        // when
        HttpResponse<String> liveness = get("/actuator/health/liveness", null);
        HttpResponse<String> readiness = get("/actuator/health/readiness", null);
        HttpResponse<String> monitorReadiness = get("/actuator/health/readiness", TestTokens.of(Role.MONITOR));
        HttpResponse<String> adminReadiness = get("/actuator/health/readiness", TestTokens.of(Role.ADMIN));

        // then
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(liveness.body()).path("status").asText()).isEqualTo("UP");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(readiness.body()).has("components")).isFalse();
        assertThat(JSON.readTree(monitorReadiness.body()).has("components")).isFalse();
        JsonNode components = JSON.readTree(adminReadiness.body()).path("components");
        assertThat(fieldNames(components)).containsExactly("auditLog", "db", "mllp", "outbox", "readinessState");
        assertThat(components.path("mllp").path("details").path("listening").asBoolean()).isTrue();
        assertThat(components.path("mllp").path("details").path("port").asInt()).isEqualTo(MLLP_PORT);
    }

    @Test
    void shouldBeOutOfServiceWhileTheOutboxStalls() throws Exception {
        // given: a review that failed an hour ago and waits for its next attempt
        Long row = jdbc.queryForObject("""
                insert into index_outbox (action, reason, patient_id, status, attempts, next_attempt, created, updated)
                values ('REVIEW', 'CONSENT_CHANGED', 'operations-it-' || gen_random_uuid(), 'PENDING', 1,
                        now() + interval '1 hour', now() - interval '1 hour', now()) returning id""", Long.class);
        try {
            // when
            await().atMost(Duration.ofSeconds(20)).until(() -> readinessStatus() == 503);

            // then
            JsonNode outbox = readiness().path("components").path("outbox");
            assertThat(outbox.path("status").asText()).isEqualTo("OUT_OF_SERVICE");
            assertThat(value(scrape(), "nbr_index_outbox_oldest_pending_age_seconds", Map.of())).isGreaterThan(3500.0);
        } finally {
            jdbc.update("delete from index_outbox where id = ?", row);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> readinessStatus() == 200);
    }

    @Test
    void shouldBeOutOfServiceWhileTheLastAuditVerificationFoundTheLogAltered() throws Exception {
        // given: an audited message, the log signed, then an AuditEvent changed with SQL (triggers off) in a
        // transaction rolled back later
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            client.send(TwinBirth.unique().bytes());
        }
        auditLog.integrate();
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        transaction.executeWithoutResult(tx -> {
            jdbc.execute("set local session_replication_role = replica");
            int changed = jdbc.update("""
                    update audit_event set content = replace(content, '"outcome":"', '"outcome":" ')
                    where entry_id = (select entry_id from audit_leaf where leaf_index = 0)""");
            assertThat(changed).as("the AuditEvent of leaf 0 changed").isEqualTo(1);

            // when
            AuditLog.Verification verification = verifications.verify();

            // then
            assertThat(verification.verified()).isFalse();
            JsonNode health = readiness();
            assertThat(health.path("status").asText()).isEqualTo("OUT_OF_SERVICE");
            assertThat(health.path("components").path("auditLog").path("details").path("leafIndex").asLong()).isZero();
            assertThat(value(scrape(), "nbr_audit_verify_result", Map.of())).isZero();
            tx.setRollbackOnly();
        });
        assertThat(verifications.verify().verified()).as("the log after the rollback").isTrue();
        assertThat(readinessStatus()).isEqualTo(200);
        assertThat(value(scrape(), "nbr_audit_verify_result", Map.of())).isEqualTo(1.0);
    }

    @Test
    void shouldBeDownWhileTheMllpListenerIsStopped() throws Exception {
        // given
        camel.getRouteController().stopRoute(MllpInboundRoute.ROUTE_ID);
        try {
            // when
            JsonNode stopped = readiness();

            // then
            assertThat(stopped.path("status").asText()).isEqualTo("DOWN");
            assertThat(stopped.path("components").path("mllp").path("details").path("route").asText()).isEqualTo("Stopped");
        } finally {
            camel.getRouteController().startRoute(MllpInboundRoute.ROUTE_ID);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> readinessStatus() == 200);
    }

    // --- alert rules

    @Test
    void shouldExposeEveryMetricTheAlertRulesUse() throws Exception {
        // given
        List<Map<String, Object>> rules = alertRules();
        Set<String> exposed = sampleNames(scrape());

        // when
        Map<String, Set<String>> used = new LinkedHashMap<>();
        for (Map<String, Object> rule : rules) {
            used.put((String) rule.get("alert"), metricNames((String) rule.get("expr")));
        }

        // then
        assertThat(used).hasSize(5);
        used.forEach((alert, names) -> assertThat(names).as("metrics of %s", alert).isNotEmpty().allSatisfy(name ->
                assertThat(exposed).as("%s of alert %s in the scrape", name, alert).contains(name)));
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.get("for")).as("for: of %s", rule.get("alert")).isNotNull();
            assertThat(((Map<?, ?>) rule.get("labels")).get("severity")).as("severity of %s", rule.get("alert"))
                    .isIn("warning", "critical");
            assertThat((String) ((Map<?, ?>) rule.get("annotations")).get("description")).as("description of %s", rule.get("alert"))
                    .isNotBlank();
        });
    }

    // --- helpers

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alertRules() throws Exception {
        try (Reader reader = Files.newBufferedReader(ALERT_RULES)) {
            Map<String, Object> file = new Yaml().load(reader);
            List<Map<String, Object>> rules = new ArrayList<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
                rules.addAll((List<Map<String, Object>>) group.get("rules"));
            }
            return rules;
        }
    }

    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset");

    /** The metric names a PromQL expression reads: identifiers that are not functions, keywords, labels or durations. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\"[^\"]*\"", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = Pattern.compile("(?<![a-zA-Z0-9_:.])[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(bare);
        while (identifier.find()) {
            if (identifier.group(1) == null && !PROMQL_WORDS.contains(identifier.group())) {
                names.add(identifier.group());
            }
        }
        return names;
    }

    /** The names of the samples in a scrape. */
    private static Set<String> sampleNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /** The value of the sample with this name whose labels include {@code labels}; 0 when there is none. */
    private static double value(String scrape, String name, Map<String, String> labels) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String labelText = line.contains("{") ? line.substring(line.indexOf('{'), line.lastIndexOf('}') + 1) : "";
                if (labels.entrySet().stream().allMatch(l -> labelText.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private String scrape() {
        HttpResponse<String> response = get("/actuator/prometheus", TestTokens.of(Role.MONITOR));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private JsonNode readiness() {
        try {
            return JSON.readTree(get("/actuator/health/readiness", TestTokens.of(Role.ADMIN)).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int readinessStatus() {
        return get("/actuator/health/readiness", null).statusCode();
    }

    /** A GET with {@code token}, or none. Why unchecked: some are sent from inside a transaction callback. */
    private HttpResponse<String> get(String path, String token) {
        HttpClient http = token == null ? HttpClient.newHttpClient() : TestTokens.http(token);
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

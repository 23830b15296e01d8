package org.newbornregistry.routes.index;

import ca.uhn.fhir.context.FhirContext;
import org.HdrHistogram.Histogram;
import org.apache.camel.CamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;
import org.newbornregistry.NbrApplication;
import org.newbornregistry.conformance.FhirExamples;
import org.newbornregistry.fhir.store.RegistryWriteService;
import org.newbornregistry.fhir.store.WriteOrigin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Forwarding to the national index, measured: submissions per second the outbox route sustains
 * against the reference peer over real HTTP (a backlog of consented genotypes drained by one
 * instance), and the delay from a genotype's commit to the index's receipt at p50/p99 under a
 * steady trickle of new genotypes. Durable embedded PostgreSQL, CMF wire format. Prints numbers,
 * asserts nothing. {@code mvn -B -ntp -Pbenchmark -pl routes -am verify -Dit.test=IndexForwardingBenchmark}.
 */
@SpringBootTest(classes = NbrApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IndexForwardingBenchmark {

    private static final int INDEX_PORT = AvailablePortFinder.getNextAvailable();
    private static final int BACKLOG = Integer.getInteger("bench.backlog", 400);
    private static final Duration STEADY = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
    private static final int STEADY_PER_SECOND = Integer.getInteger("bench.rate", 10);
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nbr.database.embedded.data-dir", () -> "target/embedded-postgres/bench-" + UUID.randomUUID());
        registry.add("nbr.audit.checkpoint-file", () -> "target/audit-checkpoints/" + UUID.randomUUID() + ".log");
        registry.add("nbr.mllp.enabled", () -> "false");
        registry.add("nbr.index.reference.port", () -> INDEX_PORT);
        registry.add("nbr.index.url", () -> "http://127.0.0.1:" + INDEX_PORT + "/index");
        registry.add("nbr.index.pseudonym-key", () -> Base64.getEncoder().encodeToString(
                "a benchmark key of 32 bytes!!!!!".getBytes(StandardCharsets.US_ASCII)));
        registry.add("nbr.index.poll-interval", () -> System.getProperty("bench.poll", "100ms"));
        registry.add("nbr.retention.enabled", () -> "false");
    }

    @Autowired
    RegistryWriteService writes;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CamelContext camel;

    @Autowired
    ReferenceIndexServer index;

    @Test
    void measure() throws Exception {
        System.out.printf("%nIndex forwarding benchmark: %d cores, CMF over HTTP to the reference peer, durable PostgreSQL%n",
                Runtime.getRuntime().availableProcessors());

        // backlog: the route stopped while genotypes pile up, then one instance drains them
        camel.getRouteController().stopRoute(IndexForwardingRoute.ROUTE_ID);
        for (int i = 0; i < BACKLOG; i++) {
            story();
        }
        long pending = count("select count(*) from index_outbox where status = 'PENDING'");
        long start = System.nanoTime();
        camel.getRouteController().startRoute(IndexForwardingRoute.ROUTE_ID);
        while (count("select count(*) from index_outbox where status = 'PENDING'") > 0) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long delivered = count("select count(*) from index_outbox where action = 'SUBMIT' and status = 'DONE'");
        System.out.printf("backlog of %d consented genotypes (%d outbox rows with their consent reviews): %d submissions in %.1f s,"
                + " %.0f submissions/s (%.0f rows/s)%n", BACKLOG, pending, delivered, seconds, delivered / seconds, pending / seconds);

        // steady: new genotypes at a fixed rate, the delay from the genotype's commit to the index's receipt
        jdbc.update("delete from index_outbox");
        long period = 1_000_000_000L / STEADY_PER_SECOND;
        long next = System.nanoTime();
        long end = next + STEADY.toNanos();
        while (System.nanoTime() < end) {
            story();
            next += period;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        while (count("select count(*) from index_outbox where status = 'PENDING'") > 0) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        Histogram delay = new Histogram(3);
        List<Map<String, Object>> rows = jdbc.queryForList("""
                select extract(epoch from (d.delivered - o.created)) * 1000000 as micros
                from index_outbox o join index_delivery d on d.observation_id = o.observation_id
                where o.action = 'SUBMIT' and o.status = 'DONE'""");
        rows.forEach(r -> delay.recordValue(Math.max(0, ((Number) r.get("micros")).longValue())));
        System.out.printf("steady %d genotypes/s for %s (%d delivered), poll interval %s: genotype commit to index receipt"
                        + " p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", STEADY_PER_SECOND, STEADY, delay.getTotalCount(),
                System.getProperty("bench.poll", "100ms"), delay.getValueAtPercentile(50) / 1000.0,
                delay.getValueAtPercentile(99) / 1000.0, delay.getMaxValue() / 1000.0);
        System.out.printf("reference index holds %d profiles%n", index.index().pseudonyms().size());
    }

    /** One consented newborn: birth, blood-spot order, consent and final STR genotype, as hospital and lab post them. */
    private void story() {
        FhirExamples examples = FhirExamples.story();
        transaction(examples.json("birth-transaction.json"));
        transaction(examples.json("blood-spot-order-transaction.json"));
        Bundle consent = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        consent.addEntry().setResource(FHIR.newJsonParser().parseResource(Consent.class, examples.json("consent.json")))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Consent");
        writes.transaction(consent, WriteOrigin.internal());
        transaction(examples.json("str-genotype-transaction.json"));
    }

    private void transaction(String json) {
        writes.transaction(FHIR.newJsonParser().parseResource(Bundle.class, json), WriteOrigin.internal());
    }

    private long count(String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }
}

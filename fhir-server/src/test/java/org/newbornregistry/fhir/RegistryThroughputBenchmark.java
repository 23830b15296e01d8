package org.newbornregistry.fhir;

import org.HdrHistogram.Histogram;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throughput of the registry over real HTTP on the durable embedded PostgreSQL: creates per
 * second with 1 and 4 concurrent clients, identifier-search latency, and transaction-Bundle
 * load rate. Prints numbers; asserts nothing about speed. Not part of the default build:
 * {@code mvn -B -Pbenchmark -pl fhir-server -am verify}.
 */
@SpringBootTest(classes = RegistryTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "nbr.database.embedded.durable=true")
class RegistryThroughputBenchmark extends RegistryIntegrationSupport {

    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** One token for the whole run: the cost measured is checking it on each request, not minting it. */
    private static final String TOKEN = TestTokens.all();
    private final String system = uniqueSystem();
    private final AtomicInteger sequence = new AtomicInteger();

    @Test
    void measure() throws Exception {
        System.out.printf("%nRegistry benchmark: %d cores, max heap %d MB, %s per run%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, MEASURE);
        creates(1, Duration.ofSeconds(10));
        report("creates, 1 client ", creates(1, MEASURE));
        report("creates, 4 clients", creates(4, MEASURE));
        identifierSearches(Duration.ofSeconds(5));
        Histogram searches = identifierSearches(MEASURE);
        System.out.printf("identifier search: %d lookups among %d newborns, p50 %.2f ms, p99 %.2f ms%n",
                searches.getTotalCount(), sequence.get(), searches.getValueAtPercentile(50) / 1000.0,
                searches.getValueAtPercentile(99) / 1000.0);
        bundles(1, Duration.ofSeconds(5));
        report("transaction bundles of 30 resources, 1 client", bundles(1, MEASURE));
    }

    private Result creates(int clients, Duration duration) throws Exception {
        return run(clients, duration, () -> {
            Patient newborn = Fixtures.newborn(system, "B" + sequence.incrementAndGet());
            send(HttpRequest.newBuilder(URI.create(baseUrl() + "/Patient")).header("Prefer", "return=minimal")
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(FHIR.newJsonParser().encodeResourceToString(newborn))).build(), 201);
            return 1;
        });
    }

    private Result bundles(int clients, Duration duration) throws Exception {
        return run(clients, duration, () -> {
            Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            for (int i = 0; i < 10; i++) {
                String babyUrn = "urn:uuid:" + UUID.randomUUID();
                Patient newborn = Fixtures.newborn(system, "T" + sequence.incrementAndGet());
                bundle.addEntry().setFullUrl(babyUrn).setResource(newborn).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
                RelatedPerson mother = new RelatedPerson();
                mother.getPatient().setReference(babyUrn);
                mother.addName().setFamily("Doe").addGiven("Jane");
                bundle.addEntry().setResource(mother).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("RelatedPerson");
                Specimen card = new Specimen();
                card.getAccessionIdentifier().setSystem(system).setValue("CARD-" + sequence.get());
                card.getSubject().setReference(babyUrn);
                bundle.addEntry().setResource(card).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Specimen");
            }
            send(HttpRequest.newBuilder(URI.create(baseUrl())).header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(FHIR.newJsonParser().encodeResourceToString(bundle))).build(), 200);
            return bundle.getEntry().size();
        });
    }

    private Histogram identifierSearches(Duration duration) throws Exception {
        Histogram latencies = new Histogram(3);
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            int n = 1 + ThreadLocalRandom.current().nextInt(sequence.get());
            long start = System.nanoTime();
            send(HttpRequest.newBuilder(URI.create(baseUrl() + "/Patient?identifier=" + system + "%7CB" + n)).GET().build(), 200);
            latencies.recordValue((System.nanoTime() - start) / 1000);
        }
        return latencies;
    }

    private Result run(int clients, Duration duration, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Histogram latencies = new Histogram(3);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Future<Integer>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                int resources = 0;
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    resources += work.call();
                    synchronized (latencies) {
                        latencies.recordValue((System.nanoTime() - t) / 1000);
                    }
                }
                return resources;
            }));
        }
        int resources = 0;
        for (Future<Integer> future : futures) {
            resources += future.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(resources / seconds, latencies.getTotalCount() / seconds, latencies);
    }

    private void send(HttpRequest request, int expectedStatus) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(request, (name, value) -> true)
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException("HTTP " + response.statusCode());
        }
    }

    private static void report(String what, Result result) {
        System.out.printf("%s: %.0f resources/s (%.0f requests/s), request p50 %.2f ms, p99 %.2f ms%n", what,
                result.resourcesPerSecond(), result.requestsPerSecond(),
                result.latencies().getValueAtPercentile(50) / 1000.0, result.latencies().getValueAtPercentile(99) / 1000.0);
    }

    private record Result(double resourcesPerSecond, double requestsPerSecond, Histogram latencies) {
    }

    @FunctionalInterface
    private interface Work {
        int call() throws Exception;
    }
}

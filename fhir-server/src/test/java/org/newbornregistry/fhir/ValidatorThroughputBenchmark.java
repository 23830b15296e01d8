package org.newbornregistry.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import org.HdrHistogram.Histogram;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.newbornregistry.adapter.mapping.V2Intake;
import org.newbornregistry.conformance.NbrCanonical;
import org.newbornregistry.conformance.Samples;
import org.newbornregistry.fhir.validation.ProfileSelector;
import org.newbornregistry.fhir.validation.RegistryValidator;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What validation costs: start-up of the application with and without the warmed validator,
 * the validator's throughput per thread once warm (over every resource the project's HL7
 * samples map to), and the latency a validated create adds over real HTTP on the durable
 * embedded PostgreSQL. Prints numbers; asserts nothing about speed. Not part of the default
 * build: {@code mvn -B -ntp -Pbenchmark -pl conformance,adapter,fhir-server -am verify}.
 */
class ValidatorThroughputBenchmark {

    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final List<String> SAMPLES = List.of("adt-a01-newborn-twin-b.hl7", "oml-o21-newborn-screening-order.hl7",
            "oru-r01-str-genotype.hl7", "oru-r01-newborn-screening-unsatisfactory.hl7");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String TOKEN = TestTokens.all();
    private final AtomicInteger sequence = new AtomicInteger();

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void measure() throws Exception {
        System.out.printf("%nValidator benchmark: %d cores, max heap %d MB, %s per run%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, MEASURE);
        long started = System.nanoTime();
        RegistryValidator standalone = RegistryValidator.create(FhirContext.forR4());
        long built = System.nanoTime();
        standalone.warmUp();
        System.out.printf("validator alone, cold JVM: package loaded and snapshots generated in %d ms, warmed in %d ms%n",
                (built - started) / 1_000_000, (System.nanoTime() - built) / 1_000_000);

        // Why: the first application started in a JVM pays for class loading and JIT; it is started and closed first.
        start(false).close();
        try (ConfigurableApplicationContext on = start(true); ConfigurableApplicationContext off = start(false)) {
            throughput(on.getBean(RegistryValidator.class));
            createLatency("newborn Patient", off, on, this::newborn);
            createLatency("STR genotype", off, on, () -> genotype(off, on));
        }
    }

    private ConfigurableApplicationContext start(boolean validation) {
        long started = System.nanoTime();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RegistryTestApplication.class)
                .properties("server.port=0", "nbr.database.embedded.durable=true",
                        "nbr.fhir.validation.enabled=" + validation)
                .run();
        System.out.printf("application start-up, validation %s: %d ms (embedded PostgreSQL included)%n",
                validation ? "on (validator warmed)" : "off", (System.nanoTime() - started) / 1_000_000);
        return context;
    }

    /** Validations per second of the mapped sample resources, one thread and one per core. */
    private void throughput(RegistryValidator validator) throws Exception {
        V2Intake intake = new V2Intake(ZoneId.of("UTC"), Set.of("P", "T", "D"));
        List<Resource> resources = new ArrayList<>();
        for (String sample : SAMPLES) {
            intake.read(Samples.v2(sample)).mapped().transaction().getEntry().forEach(e -> resources.add(e.getResource()));
        }
        for (Resource resource : resources) {
            assertThat(validator.validate(resource, ProfileSelector.select(resource)).getMessages())
                    .noneMatch(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal());
        }
        validations(validator, resources, Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(10));
        for (int threads : List.of(1, Runtime.getRuntime().availableProcessors())) {
            double perSecond = validations(validator, resources, threads, MEASURE);
            System.out.printf("validator, warm, %d thread(s): %.0f resources/s in all, %.0f per thread (%d kinds of resource from %d samples)%n",
                    threads, perSecond, perSecond / threads, resources.size(), SAMPLES.size());
        }
    }

    private static double validations(RegistryValidator validator, List<Resource> resources, int threads, Duration duration)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Future<Integer>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            futures.add(pool.submit(() -> {
                int done = 0;
                while (System.nanoTime() < end) {
                    Resource resource = resources.get((offset + done) % resources.size());
                    validator.validate(resource, ProfileSelector.select(resource));
                    done++;
                }
                return done;
            }));
        }
        int done = 0;
        for (Future<Integer> future : futures) {
            done += future.get();
        }
        pool.shutdown();
        return done / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * p50/p99 of creates with one client against the server without and with validation,
     * alternating between the two request by request so that both see the same machine.
     */
    private void createLatency(String what, ConfigurableApplicationContext off, ConfigurableApplicationContext on,
                               Supplier<Resource[]> resources) {
        ConfigurableApplicationContext[] servers = {off, on};
        creates(servers, resources, Duration.ofSeconds(5));
        Histogram[] latencies = creates(servers, resources, MEASURE);
        System.out.printf("create %s, 1 client, alternating: validation off p50 %.2f ms p99 %.2f ms; on p50 %.2f ms p99 %.2f ms;"
                        + " added p50 %.2f ms, p99 %.2f ms (%d creates each)%n",
                what, ms(latencies[0], 50), ms(latencies[0], 99), ms(latencies[1], 50), ms(latencies[1], 99),
                ms(latencies[1], 50) - ms(latencies[0], 50), ms(latencies[1], 99) - ms(latencies[0], 99),
                latencies[0].getTotalCount());
    }

    private Histogram[] creates(ConfigurableApplicationContext[] servers, Supplier<Resource[]> resources, Duration duration) {
        Histogram[] latencies = {new Histogram(3), new Histogram(3)};
        long end = System.nanoTime() + duration.toNanos();
        for (int round = 0; System.nanoTime() < end; round++) {
            Resource[] next = resources.get();
            for (int k = 0; k < 2; k++) {
                int server = (round + k) % 2;
                String body = FHIR.newJsonParser().encodeResourceToString(next[server]);
                long t = System.nanoTime();
                post(servers[server], next[server].fhirType(), body);
                latencies[server].recordValue((System.nanoTime() - t) / 1000);
            }
        }
        return latencies;
    }

    private Resource[] newborn() {
        Resource[] pair = new Resource[2];
        for (int i = 0; i < 2; i++) {
            Patient newborn = Fixtures.newborn("https://example.org/sid/bench-" + i, "B" + sequence.incrementAndGet());
            newborn.getMeta().addProfile(NbrCanonical.NEWBORN_PATIENT);
            pair[i] = newborn;
        }
        return pair;
    }

    private final String[] spots = new String[2];

    private Resource[] genotype(ConfigurableApplicationContext off, ConfigurableApplicationContext on) {
        ConfigurableApplicationContext[] servers = {off, on};
        Resource[] pair = new Resource[2];
        for (int i = 0; i < 2; i++) {
            if (spots[i] == null) {
                spots[i] = post(servers[i], "Specimen", FHIR.newJsonParser().encodeResourceToString(
                        Fixtures.bloodSpot("https://example.org/sid/bench-card", "CARD-" + UUID.randomUUID())));
            }
            Observation genotype = Fixtures.genotype("https://example.org/sid/bench-genotype", "G" + sequence.incrementAndGet(), spots[i]);
            pair[i] = genotype;
        }
        return pair;
    }

    /** POSTs a resource and returns its {@code Type/id}. */
    private String post(ConfigurableApplicationContext server, String type, String body) {
        int port = ((WebServerApplicationContext) server).getWebServer().getPort();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/" + type))
                    .header("Content-Type", "application/fhir+json").header("Prefer", "return=minimal")
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("HTTP " + response.statusCode());
            }
            String location = response.headers().firstValue("Location").orElseThrow();
            String path = URI.create(location).getPath();
            String[] parts = path.substring(path.indexOf("/fhir/") + 6).split("/");
            return parts[0] + "/" + parts[1];
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}

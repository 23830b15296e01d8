package org.newbornregistry.fhir;

import org.HdrHistogram.Histogram;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry at scale: bulk-loads newborns, each with a mother and a blood-spot card, through the
 * registry's own transaction Bundles (the FHIR entrance, so indexes and identifiers are what
 * production builds), then measures identifier lookup and birth-date search latency and the
 * database size per newborn. Prints numbers, asserts nothing. {@code mvn -B -ntp -Pbenchmark -pl
 * fhir-server -am verify -Dit.test=RegistryScaleBenchmark -Dfailsafe.failIfNoSpecifiedTests=false
 * -Dbench.newborns=1000000} (default 100,000; a million takes hours on two cores).
 */
@SpringBootTest(classes = RegistryTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "nbr.database.embedded.durable=true")
class RegistryScaleBenchmark extends RegistryIntegrationSupport {

    private static final int NEWBORNS = Integer.getInteger("bench.newborns", 100_000);
    private static final int PER_BUNDLE = 50;
    private static final int LOADERS = 2;
    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
    // Why a token of its own: a million newborns take longer to load than TestTokens' tokens live (an hour).
    private static final String TOKEN = TestTokens.issuer().mint("registry-scale-benchmark", TestTokens.ALL_SCOPES, null, Duration.ofDays(2));
    private static final LocalDate FIRST_BIRTH = LocalDate.of(2010, 1, 1);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String system = uniqueSystem();
    private final AtomicInteger loaded = new AtomicInteger();

    @Test
    @Timeout(value = 24, unit = TimeUnit.HOURS)
    void measure() throws Exception {
        long sizeBefore = databaseSize();
        long start = System.nanoTime();
        load();
        double seconds = (System.nanoTime() - start) / 1e9;
        long bytesPerNewborn = (databaseSize() - sizeBefore) / NEWBORNS;
        System.out.printf("%nRegistry scale benchmark: %d cores; loaded %,d newborns with mothers and cards (%,d resources) in %.0f s,"
                        + " %.0f resources/s; database %,d bytes per newborn (with its mother, card, indexes and audit)%n",
                Runtime.getRuntime().availableProcessors(), NEWBORNS, NEWBORNS * 3L, seconds, NEWBORNS * 3 / seconds, bytesPerNewborn);
        Histogram identifier = latencies(() -> "/Patient?identifier=" + system + "%7CN" + (1 + ThreadLocalRandom.current().nextInt(NEWBORNS)));
        Histogram birthdate = latencies(() -> "/Patient?birthdate=" + birthDate(ThreadLocalRandom.current().nextInt(NEWBORNS)) + "&_count=20");
        System.out.printf("identifier lookup among %,d newborns: p50 %.2f ms, p99 %.2f ms; birth-date search (one day, first 20):"
                        + " p50 %.2f ms, p99 %.2f ms; %s%n", NEWBORNS,
                identifier.getValueAtPercentile(50) / 1000.0, identifier.getValueAtPercentile(99) / 1000.0,
                birthdate.getValueAtPercentile(50) / 1000.0, birthdate.getValueAtPercentile(99) / 1000.0, HeapFigures.describe());
    }

    private void load() throws Exception {
        ExecutorService loaders = Executors.newFixedThreadPool(LOADERS);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int l = 0; l < LOADERS; l++) {
            running.add(loaders.submit(() -> {
                int first;
                while ((first = next.getAndAdd(PER_BUNDLE)) < NEWBORNS) {
                    send("", "POST", bundle(first, Math.min(first + PER_BUNDLE, NEWBORNS)));
                    int done = loaded.addAndGet(Math.min(PER_BUNDLE, NEWBORNS - first));
                    if (done % Math.max(NEWBORNS / 10, PER_BUNDLE) < PER_BUNDLE) {
                        System.out.printf("  loaded %,d newborns%n", done);
                    }
                }
                return null;
            }));
        }
        for (Future<?> loader : running) {
            loader.get();
        }
        loaders.shutdown();
    }

    private String bundle(int from, int to) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int n = from; n < to; n++) {
            String babyUrn = "urn:uuid:" + UUID.randomUUID();
            Patient newborn = Fixtures.newborn(system, "N" + (n + 1));
            newborn.setBirthDateElement(new DateType(birthDate(n)));
            bundle.addEntry().setFullUrl(babyUrn).setResource(newborn).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
            RelatedPerson mother = new RelatedPerson();
            mother.getPatient().setReference(babyUrn);
            mother.addName().setFamily("Doe").addGiven("Jane");
            bundle.addEntry().setResource(mother).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("RelatedPerson");
            Specimen card = Fixtures.bloodSpot(system, "CARD-" + (n + 1));
            card.getSubject().setReference(babyUrn);
            bundle.addEntry().setResource(card).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Specimen");
        }
        return FHIR.newJsonParser().encodeResourceToString(bundle);
    }

    /** About 270 births a day, as in a country of 10 million. */
    private static String birthDate(int n) {
        return FIRST_BIRTH.plusDays(n / 270).toString();
    }

    private Histogram latencies(java.util.function.Supplier<String> search) throws Exception {
        Histogram latencies = new Histogram(3);
        long end = System.nanoTime() + MEASURE.toNanos();
        while (System.nanoTime() < end) {
            String path = search.get();
            long start = System.nanoTime();
            send(path, "GET", null);
            latencies.recordValue((System.nanoTime() - start) / 1000);
        }
        return latencies;
    }

    private void send(String path, String method, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/fhir+json").header("Prefer", "return=minimal");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + " for " + method + " " + path);
        }
    }

    private long databaseSize() {
        Long size = jdbc.queryForObject("select pg_database_size(current_database())", Long.class);
        return size == null ? 0 : size;
    }
}

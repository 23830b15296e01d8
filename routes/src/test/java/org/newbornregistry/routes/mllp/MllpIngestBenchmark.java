package org.newbornregistry.routes.mllp;

import org.HdrHistogram.Histogram;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.newbornregistry.NbrApplication;
import org.newbornregistry.conformance.TwinBirth;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Newborn ADT over real MLLP connections into the whole application on the durable embedded
 * PostgreSQL: messages committed and ACKed per second with 1 and 8 connections, and ACK latency.
 * Prints numbers, asserts nothing. {@code mvn -B -ntp -Pbenchmark -pl routes -am verify}.
 */
@SpringBootTest(classes = NbrApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MllpIngestBenchmark {

    private static final int MLLP_PORT = AvailablePortFinder.getNextAvailable();
    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nbr.database.embedded.data-dir", () -> "target/embedded-postgres/bench-" + UUID.randomUUID());
        registry.add("nbr.mllp.port", () -> MLLP_PORT);
    }

    @Test
    void measure() throws Exception {
        System.out.printf("%nMLLP ingest benchmark: %d cores, %s per run, newborn ADT^A01 (6 resources each)%n",
                Runtime.getRuntime().availableProcessors(), MEASURE);
        run(8, Duration.ofSeconds(10));
        report(1, run(1, MEASURE));
        report(8, run(8, MEASURE));
    }

    private static Histogram run(int connections, Duration duration) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(connections);
        Histogram latencies = new Histogram(3);
        long end = System.nanoTime() + duration.toNanos();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            running.add(senders.submit(() -> {
                try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
                    while (System.nanoTime() < end) {
                        byte[] birth = uniqueBirth();
                        long start = System.nanoTime();
                        String ack = client.send(birth);
                        long micros = (System.nanoTime() - start) / 1000;
                        if (!ack.contains("\rMSA|AA|")) {
                            throw new IllegalStateException("not accepted");
                        }
                        synchronized (latencies) {
                            latencies.recordValue(micros);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> connection : running) {
            connection.get();
        }
        senders.shutdown();
        return latencies;
    }

    private static void report(int connections, Histogram latencies) {
        System.out.printf("%d connection(s): %.0f messages/s committed and ACKed, ACK latency p50 %.1f ms, p99 %.1f ms, p999 %.1f ms%n",
                connections, latencies.getTotalCount() / (double) MEASURE.toSeconds(),
                latencies.getValueAtPercentile(50) / 1000.0, latencies.getValueAtPercentile(99) / 1000.0,
                latencies.getValueAtPercentile(99.9) / 1000.0);
    }

    private static byte[] uniqueBirth() {
        return TwinBirth.unique().bytes();
    }
}

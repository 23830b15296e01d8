package org.newbornregistry.routes.mllp;

import org.HdrHistogram.Histogram;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.newbornregistry.NbrApplication;
import org.newbornregistry.conformance.ScreeningOrder;
import org.newbornregistry.conformance.StrResult;
import org.newbornregistry.conformance.TwinBirth;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * HL7 v2 ingest over real MLLP connections into the whole application on the durable embedded
 * PostgreSQL, against the floor of the same box. Prints numbers, asserts nothing.
 * {@code mvn -B -ntp -Pbenchmark -pl routes -am verify -Dit.test=MllpIngestBenchmark
 * -Dfailsafe.failIfNoSpecifiedTests=false [-Dbench.seconds=20] [-Dbench.warmup.seconds=30]}. The warm-up is long
 * because on two cores the JIT compilers take about half the CPU for the first half minute of traffic.
 * <ul>
 *   <li>newborn ADT^A01 with 1 and 8 connections: messages committed and ACKed per second, ACK
 *       latency p50/p99/p999, registry resources written per second;</li>
 *   <li>realistic traffic with 8 connections: each connection sends a birth, its screening order
 *       (OML^O21 with SPM) and the lab's STR genotype (ORU^R01), story after story;</li>
 *   <li>steady load: ADT at a fixed 200 messages/s over 8 connections, latency measured from when
 *       each message was due (so a stall delays the ones behind it too: no coordinated omission);</li>
 *   <li>the floor: the most this database can take with the same commits — per message one
 *       transaction inserting the JSON of the resources it wrote and its raw bytes, by plain JDBC, 8
 *       connections — so the report says what share of it the pipeline reaches.</li>
 * </ul>
 */
@SpringBootTest(classes = NbrApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MllpIngestBenchmark {

    private static final int MLLP_PORT = AvailablePortFinder.getNextAvailable();
    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
    private static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("bench.warmup.seconds", 30));
    private static final int STEADY_RATE = 200;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nbr.database.embedded.data-dir", () -> "target/embedded-postgres/bench-" + UUID.randomUUID());
        registry.add("nbr.audit.checkpoint-file", () -> "target/audit-checkpoints/" + UUID.randomUUID() + ".log");
        registry.add("nbr.mllp.port", () -> MLLP_PORT);
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void measure() throws Exception {
        System.out.printf("%nMLLP ingest benchmark: %d cores, %s per run, durable embedded PostgreSQL%n",
                Runtime.getRuntime().availableProcessors(), MEASURE);
        run(8, WARM_UP, MllpIngestBenchmark::stories);
        report("ADT^A01, 1 connection", run(1, MEASURE, MllpIngestBenchmark::births));
        Result adt8 = run(8, MEASURE, MllpIngestBenchmark::births);
        report("ADT^A01, 8 connections", adt8);
        report("birth + order + STR result, 8 connections", run(8, MEASURE, MllpIngestBenchmark::stories));
        report("ADT^A01 at a fixed " + STEADY_RATE + "/s, 8 connections", paced(8, MEASURE, STEADY_RATE));
        double floor = floor(8, MEASURE);
        System.out.printf("raw JDBC floor, 8 connections: %.0f messages/s (6 resource rows + the raw message per transaction);"
                + " the pipeline reaches %.0f %% of it with ADT^A01 over 8 connections%n", floor, 100 * adt8.perSecond() / floor);
        jdbc.execute("vacuum analyze");
        Long newborns = jdbc.queryForObject("select count(*) from resource where res_type = 'Patient'", Long.class);
        Long bytes = jdbc.queryForObject("select pg_database_size(current_database())", Long.class);
        Long indexBytes = jdbc.queryForObject("""
                select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c
                where c.relkind = 'r' and c.relname in ('idx_token', 'idx_string', 'idx_date', 'idx_reference', 'idx_uri')""", Long.class);
        System.out.printf("database: %d bytes for %d newborns (with their parents, messages and audit): %.0f bytes per newborn,"
                + " of which search index tables %.0f%n", bytes, newborns, (double) bytes / newborns, (double) indexBytes / newborns);
    }

    /** Each connection sends messages from {@code traffic} back to back, for {@code duration}. */
    private Result run(int connections, Duration duration, Supplier<List<byte[]>> traffic) throws Exception {
        Histogram latencies = new Histogram(3);
        long resourcesBefore = resources();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        ExecutorService senders = Executors.newFixedThreadPool(connections);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            running.add(senders.submit(() -> {
                try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
                    while (System.nanoTime() < end) {
                        for (byte[] message : traffic.get()) {
                            long sent = System.nanoTime();
                            accepted(client.send(message));
                            record(latencies, sent);
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
        return new Result(latencies, (System.nanoTime() - start) / 1e9, resources() - resourcesBefore);
    }

    /** Open loop: message i of a connection is due at start + i/rate; latency runs from when it was due. */
    private Result paced(int connections, Duration duration, int rate) throws Exception {
        Histogram latencies = new Histogram(3);
        long resourcesBefore = resources();
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) * connections / rate;
        long count = duration.toNanos() / interval;
        ExecutorService senders = Executors.newFixedThreadPool(connections);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            long offset = interval * c / connections;
            running.add(senders.submit(() -> {
                try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
                    for (long i = 0; i < count; i++) {
                        long due = start + offset + i * interval;
                        byte[] birth = TwinBirth.unique().bytes();
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            // Why: pacing is what this run measures under; the schedule, not a condition, sets the wait.
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        accepted(client.send(birth));
                        record(latencies, due);
                    }
                }
                return null;
            }));
        }
        for (Future<?> connection : running) {
            connection.get();
        }
        senders.shutdown();
        return new Result(latencies, (System.nanoTime() - start) / 1e9, resources() - resourcesBefore);
    }

    /**
     * The same commits without the pipeline: per message, one transaction inserting the JSON of the
     * six resources a birth writes (as the registry stored them) and the raw message, over plain JDBC.
     */
    private double floor(int connections, Duration duration) throws Exception {
        List<String> payload = jdbc.queryForList("""
                select v.content from resource_version v where v.res_type in ('Patient', 'RelatedPerson', 'Encounter', 'Observation')
                order by v.last_updated desc limit 6""", String.class);
        byte[] raw = TwinBirth.unique().bytes();
        jdbc.execute("create table if not exists bench_floor_resource (id bigserial primary key, res_type text, content jsonb)");
        jdbc.execute("create table if not exists bench_floor_message (id bigserial primary key, raw bytea)");
        AtomicLong messages = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        ExecutorService writers = Executors.newFixedThreadPool(connections);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            running.add(writers.submit(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    connection.setAutoCommit(false);
                    try (PreparedStatement resource = connection.prepareStatement(
                            "insert into bench_floor_resource (res_type, content) values (?, ?::jsonb)");
                         PreparedStatement message = connection.prepareStatement("insert into bench_floor_message (raw) values (?)")) {
                        while (System.nanoTime() < end) {
                            for (String json : payload) {
                                resource.setString(1, "Patient");
                                resource.setString(2, json);
                                resource.addBatch();
                            }
                            resource.executeBatch();
                            message.setBytes(1, raw);
                            message.executeUpdate();
                            connection.commit();
                            messages.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> writer : running) {
            writer.get();
        }
        writers.shutdown();
        jdbc.execute("drop table bench_floor_resource");
        jdbc.execute("drop table bench_floor_message");
        return messages.get() / ((System.nanoTime() - start) / 1e9);
    }

    private long resources() {
        Long count = jdbc.queryForObject("select count(*) from resource_version", Long.class);
        return count == null ? 0 : count;
    }

    private static List<byte[]> births() {
        return List.of(TwinBirth.unique().bytes());
    }

    /** A newborn's story as hospital and lab send it: birth, screening order for the blood spot, STR result. */
    private static List<byte[]> stories() {
        TwinBirth birth = TwinBirth.unique();
        StrResult result = StrResult.forNewborn(birth.mrn());
        return List.of(birth.bytes(), ScreeningOrder.of(birth, result).bytes(), result.bytes());
    }

    private static void accepted(String ack) {
        if (!ack.contains("\rMSA|AA|")) {
            throw new IllegalStateException("not accepted");
        }
    }

    private static void record(Histogram latencies, long fromNanos) {
        long micros = (System.nanoTime() - fromNanos) / 1000;
        synchronized (latencies) {
            latencies.recordValue(micros);
        }
    }

    private static void report(String run, Result result) {
        Histogram latencies = result.latencies();
        System.out.printf("%s: %.0f messages/s committed and ACKed, %.0f resources/s, ACK latency p50 %.1f ms, p99 %.1f ms,"
                        + " p999 %.1f ms%n", run, result.perSecond(), result.resources() / result.seconds(),
                latencies.getValueAtPercentile(50) / 1000.0, latencies.getValueAtPercentile(99) / 1000.0,
                latencies.getValueAtPercentile(99.9) / 1000.0);
    }

    private record Result(Histogram latencies, double seconds, long resources) {
        double perSecond() {
            return latencies.getTotalCount() / seconds;
        }
    }
}

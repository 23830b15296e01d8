package org.newbornregistry.routes;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.test.AvailablePortFinder;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.newbornregistry.conformance.FhirExamples;
import org.newbornregistry.conformance.TwinBirth;
import org.newbornregistry.fhir.TestTokens;
import org.newbornregistry.routes.index.ReferenceIndexServer;
import org.newbornregistry.routes.mllp.MllpTestClient;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crash safety of the packaged adapter on durable PostgreSQL: while a hospital system sends births
 * over MLLP and the outbox delivers consented genotypes to a (slow) national index, the adapter is
 * killed with SIGKILL at random moments and restarted on the same data; the sender resends whatever
 * was not acknowledged, as MLLP senders do. Afterwards every acknowledged birth is in the registry
 * exactly once, the message store holds each message once as accepted, and the index received each
 * genotype exactly once (resends across a kill carry the same Idempotency-Key and are recognised).
 *
 * <p>The test suite kills twice; the long run of the harness is
 * {@code mvn -B -ntp -pl routes -am verify -Dit.test=CrashSafetyIT -Dfailsafe.failIfNoSpecifiedTests=false
 * -Dcrash.kills=5 -Dcrash.genotypes=30} (add {@code -Dcrash.seed=N} to repeat a run).
 */
class CrashSafetyIT {

    private static final int KILLS = Integer.getInteger("crash.kills", 2);
    private static final int GENOTYPES = Integer.getInteger("crash.genotypes", 6);
    private static final long SEED = Long.getLong("crash.seed", System.nanoTime());
    private static final int INDEX_PORT = AvailablePortFinder.getNextAvailable();
    /** How long the index takes per request: long enough that a kill after a receipt lands in the next delivery. */
    private static final int INDEX_DELAY_MILLIS = 1200;
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ReferenceIndexServer index;
    private static AdapterProcess adapter;

    @BeforeAll
    static void start() throws Exception {
        assertThat(AdapterProcess.JAR).as("the packaged jar (mvn verify packages it before the integration tests)").exists();
        index = new ReferenceIndexServer(FHIR, "127.0.0.1", INDEX_PORT);
        index.start();
        // Why: a slow index keeps deliveries in flight, so that kills land in the middle of one.
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + INDEX_PORT
                + "/index/faults?delayMillis=" + INDEX_DELAY_MILLIS)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        adapter = new AdapterProcess(Path.of("target", "crash-safety-" + UUID.randomUUID()), true, List.of(
                "--nbr.index.reference.enabled=false",
                "--nbr.index.url=http://127.0.0.1:" + INDEX_PORT + "/index",
                "--nbr.index.poll-interval=50ms",
                "--nbr.index.initial-backoff=100ms"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (adapter != null) {
            adapter.stop();
        }
        if (index != null) {
            index.stop();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES) // Why: each start of the jar takes 15-40 s; the long run restarts it five times.
    void shouldLoseNoAcknowledgedBirthAndDeliverEachGenotypeOnceWhenKilledAtRandomMoments() throws Exception {
        // given
        Random random = new Random(SEED);
        adapter.start();
        List<String> genotypes = new ArrayList<>();
        Sender sender = new Sender(adapter.mllpPort());
        Thread sending = new Thread(sender, "crash-harness-sender");
        sending.start();
        List<String> kills = new ArrayList<>();

        // when
        for (int kill = 1; kill <= KILLS; kill++) {
            // Why a batch per kill: the kill comes right after the batch's first receipt, while the next is in flight.
            int batch = kill < KILLS ? GENOTYPES / KILLS : GENOTYPES - genotypes.size();
            for (int i = 0; i < batch; i++) {
                genotypes.add(postConsentedGenotype());
            }
            int target = sender.acks.size() + 5 + random.nextInt(60);
            int deliveries = genotypes.size() - batch + 1;
            await().atMost(Duration.ofMinutes(2)).until(() -> sender.acks.size() >= target);
            await().atMost(Duration.ofMinutes(2)).until(() -> firstDeliveries().size() >= deliveries);
            int delivered = firstDeliveries().size();
            adapter.kill();
            kills.add("kill " + kill + " after " + sender.acks.size() + " ACKs and " + delivered + "/" + GENOTYPES + " deliveries");
            adapter.start();
        }
        int last = sender.acks.size() + 20;
        await().atMost(Duration.ofMinutes(2)).until(() -> sender.acks.size() >= last);
        sender.stopping = true;
        sending.join(Duration.ofMinutes(2).toMillis());
        await().atMost(Duration.ofMinutes(2)).until(() -> firstDeliveries().size() >= GENOTYPES && outbox("PENDING") == 0);

        // then
        assertThat(sending.isAlive()).as("the sender finished").isFalse();
        assertThat(sender.failure).as("the sender's failure").isNull();
        assertThat(sender.acks).as("every birth sent was acknowledged in the end").hasSameSizeAs(sender.sent);
        assertThat(sender.acks.values()).as("ACK codes").containsOnly("AA");
        for (TwinBirth birth : sender.sent.values()) {
            assertThat(entries("/fhir/Patient?identifier=" + TwinBirth.MRN_SYSTEM + "%7C" + birth.mrn()))
                    .as("newborns registered for birth %s", birth.controlId()).isEqualTo(1);
            JsonNode stored = JSON.readTree(adapter.get("/admin/hl7/messages?controlId=" + birth.controlId())).get("messages");
            assertThat(stored).as("message store records of %s", birth.controlId()).hasSize(1);
            assertThat(stored.get(0).get("status").asText()).isEqualTo("ACCEPTED");
        }
        Map<String, Long> deliveries = firstDeliveries();
        for (String genotype : genotypes) {
            assertThat(deliveries.entrySet().stream().filter(d -> d.getKey().startsWith("nbr-" + genotype + "-"))
                    .mapToLong(Map.Entry::getValue).sum()).as("first deliveries of genotype %s", genotype).isEqualTo(1);
        }
        assertThat(index.index().pseudonyms()).as("profiles at the index").hasSize(GENOTYPES);
        assertThat(outbox("PARKED")).isZero();
        System.out.printf("%nCrash harness (seed %d): %s; %d births sent and acknowledged AA, %d sends cut by a kill and"
                        + " resent; %d genotypes delivered once each, %d resends recognised by the index%n",
                SEED, String.join("; ", kills), sender.sent.size(), sender.cut.get(), GENOTYPES,
                index.received().stream().filter(ReferenceIndexServer.Received::duplicate).count());
    }

    /** Posts a newborn's birth, order, consent to index submission and STR genotype; the genotype's id. */
    private static String postConsentedGenotype() {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient fhir = TestTokens.authorised(FHIR.newRestfulGenericClient(adapter.url("/fhir")));
        FhirExamples story = FhirExamples.story();
        fhir.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class, story.json("birth-transaction.json"))).execute();
        fhir.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class, story.json("blood-spot-order-transaction.json")))
                .execute();
        fhir.create().resource(FHIR.newJsonParser().parseResource(Consent.class, story.json("consent.json"))).execute();
        Bundle lab = fhir.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class,
                story.json("str-genotype-transaction.json"))).execute();
        return lab.getEntry().stream().map(e -> e.getResponse().getLocation()).filter(l -> l.startsWith("Observation/"))
                .findFirst().orElseThrow().split("/")[1];
    }

    /** Submissions the index took as new, by Idempotency-Key: how often each was taken as new. */
    private static Map<String, Long> firstDeliveries() {
        return index.received().stream().filter(r -> !r.duplicate())
                .collect(Collectors.groupingBy(ReferenceIndexServer.Received::key, Collectors.counting()));
    }

    private static long outbox(String status) throws Exception {
        return JSON.readTree(adapter.get("/admin/index/outbox")).get("rows").get(status).asLong();
    }

    private static int entries(String search) throws Exception {
        JsonNode entry = JSON.readTree(adapter.get(search)).get("entry");
        return entry == null ? 0 : entry.size();
    }

    /**
     * A hospital system's MLLP sender: one connection, one birth at a time. When the connection
     * breaks before the ACK, the birth was not acknowledged and is sent again on the next
     * connection, once the adapter accepts connections again.
     */
    private static final class Sender implements Runnable {

        final Map<String, TwinBirth> sent = new ConcurrentHashMap<>();
        final Map<String, String> acks = new ConcurrentHashMap<>();
        final AtomicInteger cut = new AtomicInteger();
        volatile boolean stopping;
        volatile Throwable failure;
        private final int port;
        private TwinBirth pending;

        Sender(int port) {
            this.port = port;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    try (MllpTestClient client = new MllpTestClient(port)) {
                        while (true) {
                            if (pending == null) {
                                if (stopping) {
                                    return;
                                }
                                pending = TwinBirth.unique();
                                sent.put(pending.controlId(), pending);
                            }
                            String ack = client.send(pending.bytes());
                            acks.put(pending.controlId(), ack.split("\r")[1].split("\\|")[1]);
                            pending = null;
                        }
                    } catch (IOException e) {
                        if (pending != null) {
                            cut.incrementAndGet();
                        }
                        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(this::listening);
                    }
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        private boolean listening() {
            try (Socket socket = new Socket("localhost", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}

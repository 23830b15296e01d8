package org.newbornregistry.fhir.audit.witness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newbornregistry.adapter.audit.merkle.AddCheckpointRequest;
import org.newbornregistry.adapter.audit.merkle.Checkpoint;
import org.newbornregistry.adapter.audit.merkle.ConsistencyProof;
import org.newbornregistry.adapter.audit.merkle.Cosignature;
import org.newbornregistry.adapter.audit.merkle.MerkleTree;
import org.newbornregistry.adapter.audit.merkle.NoteSigner;
import org.newbornregistry.adapter.audit.merkle.NoteVerifier;
import org.newbornregistry.adapter.audit.merkle.TreeHash;
import org.newbornregistry.adapter.audit.merkle.WitnessKey;
import org.newbornregistry.fhir.audit.witness.WitnessClient.Conflict;
import org.newbornregistry.fhir.audit.witness.WitnessClient.Cosigned;
import org.newbornregistry.fhir.audit.witness.WitnessClient.Refused;
import org.newbornregistry.fhir.audit.witness.WitnessClient.Result;
import org.newbornregistry.fhir.audit.witness.WitnessClient.Unreachable;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A log asking a witness for cosignatures over real HTTP on the loopback interface: every answer of c2sp.org/tlog-witness. */
class WitnessClientTest {

    private static final String ORIGIN = "registry.example/audit";
    private static final String WITNESS = "witness.example/w1";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final NoteSigner log = signer(ORIGIN);
    private final MerkleTree tree = tree("entry", 20);
    private final List<ReferenceWitness> witnesses = new ArrayList<>();

    @AfterEach
    void closeWitnesses() {
        witnesses.forEach(ReferenceWitness::close);
    }

    @Test
    void shouldGetTheFirstCheckpointCosignedWithACosignatureThatVerifiesWithTheWitnessKey() throws Exception {
        // given
        ReferenceWitness witness = started(ReferenceWitness.inMemory(WITNESS, Map.of(ORIGIN, log.verifierKey())));
        WitnessClient client = new WitnessClient(witness.url(), witness.key(), TIMEOUT);
        long before = Instant.now().getEpochSecond();

        // when
        Result result = client.addCheckpoint(AddCheckpointRequest.of(0, List.of(), note(tree, 5)));

        // then
        assertThat(result).isInstanceOf(Cosigned.class);
        List<String> lines = ((Cosigned) result).signatureLines();
        assertThat(lines).singleElement().asString().startsWith("\u2014 " + WITNESS + " ");
        assertThat(Cosignature.verify(lines.get(0), witness.key(), checkpoint(tree, 5))).isBetween(before, Instant.now().getEpochSecond());
        assertThat(Checkpoint.open(note(tree, 5) + lines.get(0) + "\n", ORIGIN, new NoteVerifier(log.verifierKey())))
                .isEqualTo(checkpoint(tree, 5));
        assertThat(witness.size(ORIGIN)).isEqualTo(5);
        assertThat(witness.accepted()).isEqualTo(1);
    }

    @Test
    void shouldGetAGrownLogCosignedWithARealConsistencyProofAndTheSameCheckpointAgain() throws Exception {
        // given
        ReferenceWitness witness = started(ReferenceWitness.inMemory(WITNESS, Map.of(ORIGIN, log.verifierKey())));
        WitnessClient client = new WitnessClient(witness.url(), witness.key(), TIMEOUT);
        client.addCheckpoint(AddCheckpointRequest.of(0, List.of(), note(tree, 5)));
        ReferenceWitness other = started(ReferenceWitness.inMemory("witness.example/w2", Map.of(ORIGIN, log.verifierKey())));
        String cosignedElsewhere = note(tree, 12)
                + ((Cosigned) new WitnessClient(other.url(), other.key(), TIMEOUT).addCheckpoint(AddCheckpointRequest.of(0, List.of(), note(tree, 12))))
                .signatureLines().get(0) + "\n";

        // when: the note sent already carries another witness's cosignature, which the witness ignores
        Result grown = client.addCheckpoint(AddCheckpointRequest.of(5, ConsistencyProof.generate(tree, 5, 12), cosignedElsewhere));
        Result again = client.addCheckpoint(AddCheckpointRequest.of(12, List.of(), note(tree, 12)));

        // then
        assertThat(grown).isInstanceOfSatisfying(Cosigned.class, cosigned ->
                assertThat(cosigned.signatureLines()).singleElement().asString().startsWith("\u2014 " + WITNESS + " "));
        assertThat(again).isInstanceOf(Cosigned.class);
        assertThat(witness.size(ORIGIN)).isEqualTo(12);
        assertThat(witness.accepted()).isEqualTo(3);
    }

    @Test
    void shouldBeRefusedWith422WhenTheLogForkedAndTheProofDoesNotLeadFromTheWitnessRoot() throws Exception {
        // given: the witness cosigned size 5 of one history; another history of the same log reaches 12
        ReferenceWitness witness = started(ReferenceWitness.inMemory(WITNESS, Map.of(ORIGIN, log.verifierKey())));
        WitnessClient client = new WitnessClient(witness.url(), witness.key(), TIMEOUT);
        client.addCheckpoint(AddCheckpointRequest.of(0, List.of(), note(tree, 5)));
        MerkleTree fork = tree("rewritten entry", 12);
        List<byte[]> bogus = IntStream.range(0, 3).mapToObj(i -> TreeHash.leaf(new byte[] {(byte) i})).toList();

        // when
        Result forkProof = client.addCheckpoint(AddCheckpointRequest.of(5, ConsistencyProof.generate(fork, 5, 12), note(fork, 12)));
        Result bogusProof = client.addCheckpoint(AddCheckpointRequest.of(5, bogus, note(fork, 12)));
        Result treeProofForkRoot = client.addCheckpoint(AddCheckpointRequest.of(5, ConsistencyProof.generate(tree, 5, 12), note(fork, 12)));

        // then
        for (Result result : List.of(forkProof, bogusProof, treeProofForkRoot)) {
            assertThat(result).isInstanceOfSatisfying(Refused.class, refused -> {
                assertThat(refused.status()).isEqualTo(422);
                assertThat(refused.reason()).contains(WITNESS).contains("from size 5 to 12");
            });
        }
        assertThat(witness.size(ORIGIN)).isEqualTo(5);
        assertThat(witness.accepted()).isEqualTo(1);
    }

    @Test
    void shouldLearnTheWitnessSizeWhenTheOldSizeIsStaleAndSucceedFromIt() throws Exception {
        // given
        ReferenceWitness witness = started(ReferenceWitness.inMemory(WITNESS, Map.of(ORIGIN, log.verifierKey())));
        WitnessClient client = new WitnessClient(witness.url(), witness.key(), TIMEOUT);
        client.addCheckpoint(AddCheckpointRequest.of(0, List.of(), note(tree, 8)));

        // when
        Result stale = client.addCheckpoint(AddCheckpointRequest.of(5, ConsistencyProof.generate(tree, 5, 12), note(tree, 12)));
        Result fresh = client.addCheckpoint(AddCheckpointRequest.of(0, List.of(), note(tree, 12)));
        Result retried = client.addCheckpoint(AddCheckpointRequest.of(8, ConsistencyProof.generate(tree, 8, 12), note(tree, 12)));

        // then
        assertThat(stale).isEqualTo(new Conflict(8));
        assertThat(fresh).isEqualTo(new Conflict(8));
        assertThat(retried).isInstanceOf(Cosigned.class);
        assertThat(witness.size(ORIGIN)).isEqualTo(12);
    }

    @Test
    void shouldBeRefusedNotToldToRetryWhenTheWitnessHoldsAnotherRootForTheSameSize() throws Exception {
        // given
        ReferenceWitness witness = started(ReferenceWitness.inMemory(WITNESS, Map.of(ORIGIN, log.verifierKey())));
        WitnessClient client = new WitnessClient(witness.url(), witness.key(), TIMEOUT);
        client.addCheckpoint(AddCheckpointRequest.of(0, List.of(), note(tree, 8)));

        // when
        Result result = client.addCheckpoint(AddCheckpointRequest.of(8, List.of(), note(tree("rewritten entry", 8), 8)));

        // then: the witness answers 409 with its size, which is the size sent: a fork, not a stale size
        assertThat(result).isInstanceOfSatisfying(Refused.class, refused -> {
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.reason()).contains("another root hash for tree size 8");
        });
        assertThat(witness.accepted()).isEqualTo(1);
    }

    @Test
    void shouldBeRefusedWith404ForALogTheWitnessDoesNotKnowAnd403ForASignatureItDoesNotTrust() throws Exception {
        // given
        ReferenceWitness witness = started(ReferenceWitness.inMemory(WITNESS, Map.of(ORIGIN, log.verifierKey())));
        WitnessClient client = new WitnessClient(witness.url(), witness.key(), TIMEOUT);
        NoteSigner otherLog = signer("registry.example/other-audit");
        NoteSigner impostor = signer(ORIGIN);

        // when
        Result unknown = client.addCheckpoint(AddCheckpointRequest.of(0, List.of(),
                Checkpoint.of("registry.example/other-audit", 5, tree.rootHash(5)).sign(otherLog)));
        Result untrusted = client.addCheckpoint(AddCheckpointRequest.of(0, List.of(), checkpoint(tree, 5).sign(impostor)));
        String altered = note(tree, 5).replaceFirst("\n5\n", "\n6\n");
        Result badSignature = client.addCheckpoint(AddCheckpointRequest.of(0, List.of(), altered));

        // then
        assertThat(unknown).isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.status()).isEqualTo(404));
        assertThat(untrusted).isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.status()).isEqualTo(403));
        assertThat(badSignature).isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.status()).isEqualTo(403));
        assertThat(witness.size(ORIGIN)).isZero();
        assertThat(witness.requests()).isEqualTo(3);
    }

    @Test
    void shouldAnswerMalformedBodiesWith400AndOtherMethodsWith405() throws Exception {
        // given: what no WitnessClient sends, posted as is
        ReferenceWitness witness = started(ReferenceWitness.inMemory(WITNESS, Map.of(ORIGIN, log.verifierKey())));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI endpoint = URI.create(witness.url() + "/add-checkpoint");

        // when / then
        assertThat(post(http, endpoint, "not a request")).isEqualTo(400);
        assertThat(post(http, endpoint, "old 0\n\n" + checkpoint(tree, 5).text())).isEqualTo(400);
        assertThat(post(http, endpoint, "old 6\n\n" + note(tree, 5))).isEqualTo(400);
        assertThat(post(http, endpoint, "old 0\nnot base64\n\n" + note(tree, 5))).isEqualTo(400);
        assertThat(post(http, endpoint, "old 0\n" + "x".repeat(AddCheckpointRequest.MAX_BYTES))).isEqualTo(400);
        assertThat(http.send(HttpRequest.newBuilder(endpoint).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(405);
        assertThat(post(http, URI.create(witness.url() + "/add-checkpoints"), "old 0\n\n" + note(tree, 5))).isEqualTo(404);
        assertThat(witness.accepted()).isZero();
    }

    @Test
    void shouldAnswer409WithTheTreeSizeAsTheSpecificationSays() throws Exception {
        // given
        ReferenceWitness witness = started(ReferenceWitness.inMemory(WITNESS, Map.of(ORIGIN, log.verifierKey())));
        new WitnessClient(witness.url(), witness.key(), TIMEOUT).addCheckpoint(AddCheckpointRequest.of(0, List.of(), note(tree, 7)));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        // when
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(witness.url() + "/add-checkpoint"))
                .POST(HttpRequest.BodyPublishers.ofString("old 0\n\n" + note(tree, 9), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/x.tlog.size");
        assertThat(response.body()).isEqualTo("7\n");
    }

    @Test
    void shouldReportAWitnessThatIsNotListeningOrDoesNotAnswerInTimeAsUnreachable() throws Exception {
        // given: a witness that stopped, and a socket that accepts connections but never answers
        ReferenceWitness stopped = started(ReferenceWitness.inMemory(WITNESS, Map.of(ORIGIN, log.verifierKey())));
        URI url = stopped.url();
        stopped.close();
        AddCheckpointRequest request = AddCheckpointRequest.of(0, List.of(), note(tree, 5));

        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            WitnessClient slow = new WitnessClient(URI.create("http://127.0.0.1:" + silent.getLocalPort()), stopped.key(), Duration.ofMillis(300));

            // when
            Result closed = new WitnessClient(url, stopped.key(), TIMEOUT).addCheckpoint(request);
            long start = System.nanoTime();
            Result silence = slow.addCheckpoint(request);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            // then
            assertThat(closed).isInstanceOfSatisfying(Unreachable.class, unreachable -> assertThat(unreachable.reason()).contains(WITNESS));
            assertThat(silence).isInstanceOf(Unreachable.class);
            assertThat(waited).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void shouldRefuseACosignatureByAnotherKeyThanTheConfiguredOneAndPassItOnUnverifiedWithoutAKey() throws Exception {
        // given
        ReferenceWitness witness = started(ReferenceWitness.inMemory(WITNESS, Map.of(ORIGIN, log.verifierKey())));
        WitnessKey otherKey = WitnessKey.of(WITNESS, ReferenceWitness.newKeyPair().getPublic());

        // when
        Result wrongKey = new WitnessClient(witness.url(), otherKey, TIMEOUT).addCheckpoint(AddCheckpointRequest.of(0, List.of(), note(tree, 5)));
        Result noKey = new WitnessClient(witness.url(), WITNESS, Optional.empty(), TIMEOUT)
                .addCheckpoint(AddCheckpointRequest.of(5, List.of(), note(tree, 5)));

        // then
        assertThat(wrongKey).isInstanceOfSatisfying(Refused.class, refused -> {
            assertThat(refused.status()).isEqualTo(200);
            assertThat(refused.reason()).contains("configured key");
        });
        assertThat(noKey).isInstanceOfSatisfying(Cosigned.class, cosigned ->
                assertThat(cosigned.signatureLines()).singleElement().asString().startsWith("\u2014 " + WITNESS + " "));
    }

    @Test
    void shouldRememberWhatItCosignedAcrossARestartOnTheSameFile(@TempDir Path directory) throws Exception {
        // given
        Path state = directory.resolve("witness-state");
        KeyPair pair = ReferenceWitness.newKeyPair();
        ReferenceWitness first = started(new ReferenceWitness(WITNESS, pair, Map.of(ORIGIN, log.verifierKey()), Optional.of(state)));
        new WitnessClient(first.url(), first.key(), TIMEOUT).addCheckpoint(AddCheckpointRequest.of(0, List.of(), note(tree, 6)));
        first.close();

        // when
        ReferenceWitness second = started(new ReferenceWitness(WITNESS, pair, Map.of(ORIGIN, log.verifierKey()), Optional.of(state)));
        WitnessClient client = new WitnessClient(second.url(), second.key(), TIMEOUT);
        Result restarted = client.addCheckpoint(AddCheckpointRequest.of(0, List.of(), note(tree, 9)));
        Result forked = client.addCheckpoint(AddCheckpointRequest.of(6, ConsistencyProof.generate(tree("rewritten entry", 9), 6, 9),
                note(tree("rewritten entry", 9), 9)));
        Result grown = client.addCheckpoint(AddCheckpointRequest.of(6, ConsistencyProof.generate(tree, 6, 9), note(tree, 9)));

        // then
        assertThat(restarted).isEqualTo(new Conflict(6));
        assertThat(forked).isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.status()).isEqualTo(422));
        assertThat(grown).isInstanceOf(Cosigned.class);
        assertThat(second.size(ORIGIN)).isEqualTo(9);
    }

    @Test
    void shouldRefuseAConfigurationThatCannotWork() {
        WitnessKey key = WitnessKey.of(WITNESS, ReferenceWitness.newKeyPair().getPublic());
        URI url = URI.create("https://witness.example/");
        assertThatThrownBy(() -> new WitnessClient(url, "witness.example/w2", Optional.of(key), TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WitnessClient(URI.create("ftp://witness.example"), key, TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WitnessClient(URI.create("witness.example"), key, TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WitnessClient(URI.create("https://witness.example/?log=1"), key, TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WitnessClient(url, key, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new WitnessClient(url, key, TIMEOUT).endpoint()).isEqualTo(URI.create("https://witness.example/add-checkpoint"));
        assertThat(new WitnessClient(URI.create("https://witness.example/w1"), key, TIMEOUT).endpoint())
                .isEqualTo(URI.create("https://witness.example/w1/add-checkpoint"));
    }

    private ReferenceWitness started(ReferenceWitness witness) throws Exception {
        witnesses.add(witness);
        return witness.start();
    }

    private String note(MerkleTree of, long size) {
        return checkpoint(of, size).sign(log);
    }

    private static Checkpoint checkpoint(MerkleTree of, long size) {
        return Checkpoint.of(ORIGIN, size, of.rootHash(size));
    }

    /** Leaves of made-up entries (counters, no personal data); another prefix makes another history. */
    private static MerkleTree tree(String prefix, int size) {
        return MerkleTree.of(IntStream.range(0, size).mapToObj(i -> TreeHash.leaf((prefix + " " + i).getBytes(StandardCharsets.UTF_8))).toList());
    }

    private static NoteSigner signer(String name) {
        KeyPair pair = ReferenceWitness.newKeyPair();
        return new NoteSigner(name, pair.getPrivate(), pair.getPublic());
    }

    private static int post(HttpClient http, URI endpoint, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}

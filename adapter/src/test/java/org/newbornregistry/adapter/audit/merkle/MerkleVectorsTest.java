package org.newbornregistry.adapter.audit.merkle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.newbornregistry.conformance.SharedCorpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The reference vectors of transparency-dev/merkle ({@code ../shared/corpus/merkle/testdata}, written by
 * its {@code cmd/proofgen}): every vector is its own test; those with {@code wantErr: false} must verify,
 * every other one must be rejected with a {@link ProofException} and nothing else. {@code subtreeinclusion}
 * and {@code subtreeconsistency} follow draft-ietf-plants-merkle-tree-certs §4 ({@code start}, {@code end},
 * {@code size} are the subtree {@code [start, end)} and the tree size).
 *
 * <p>The vectors' numbers are Go {@code uint64}s; one above {@code Long.MAX_VALUE} (the "invalid large
 * subtree") is read into a long with the same 64 bits, which makes it negative, which every verifier rejects:
 * this registry's log never grows past {@code Long.MAX_VALUE} entries.
 */
class MerkleVectorsTest {

    private static final String CORPUS = "merkle/testdata/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> shouldVerifyEveryValidInclusionVectorAndRejectEveryCorruptedOne() {
        return vectors("inclusion", v -> InclusionProof.verify(
                v.number("leafIdx"), v.number("treeSize"), v.hash("leafHash"), v.proof(), v.hash("root")));
    }

    @TestFactory
    Stream<DynamicTest> shouldVerifyEveryValidConsistencyVectorAndRejectEveryCorruptedOne() {
        return vectors("consistency", v -> ConsistencyProof.verify(
                v.number("size1"), v.number("size2"), v.hash("root1"), v.hash("root2"), v.proof()));
    }

    @TestFactory
    Stream<DynamicTest> shouldVerifyEveryValidSubtreeInclusionVectorAndRejectEveryCorruptedOne() {
        return vectors("subtreeinclusion", v -> SubtreeProof.verifyInclusion(
                v.number("leafIdx"), v.number("start"), v.number("end"), v.hash("leafHash"), v.proof(), v.hash("root")));
    }

    @TestFactory
    Stream<DynamicTest> shouldVerifyEveryValidSubtreeConsistencyVectorAndRejectEveryCorruptedOne() {
        return vectors("subtreeconsistency", v -> SubtreeProof.verifyConsistency(
                v.number("start"), v.number("end"), v.number("size"), v.hash("root1"), v.hash("root2"), v.proof()));
    }

    @Test
    void shouldFindValidAndCorruptedVectorsInEveryDirectory() {
        for (String directory : List.of("inclusion", "consistency", "subtreeinclusion", "subtreeconsistency")) {
            // given
            List<Vector> vectors = read(directory);

            // when
            long valid = vectors.stream().filter(v -> !v.wantErr()).count();

            // then: an empty or one-sided corpus would let the vector tests pass without testing anything
            assertThat(valid).as("%s: valid vectors", directory).isPositive();
            assertThat(vectors.size() - valid).as("%s: corrupted vectors", directory).isPositive();
        }
    }

    /** One check of a verifier against one vector. */
    @FunctionalInterface
    private interface Check {
        void verify(Vector vector) throws ProofException;
    }

    private static Stream<DynamicTest> vectors(String directory, Check check) {
        return read(directory).stream().map(vector -> DynamicTest.dynamicTest(
                vector.name() + " — " + vector.desc() + (vector.wantErr() ? " (rejected)" : " (verifies)"), () -> {
                    // when
                    Throwable thrown = catchThrowable(() -> check.verify(vector));

                    // then
                    if (vector.wantErr()) {
                        assertThat(thrown).as("a corrupted proof is rejected with a ProofException").isInstanceOf(ProofException.class);
                    } else {
                        assertThat(thrown).as("a valid proof verifies").isNull();
                    }
                }));
    }

    private static List<Vector> read(String directory) {
        List<Vector> vectors = new ArrayList<>();
        for (String file : SharedCorpus.filesUnder(CORPUS + directory)) {
            if (file.endsWith(".json")) {
                try {
                    String path = CORPUS + directory + "/" + file;
                    vectors.add(new Vector(directory + "/" + file, JSON.readTree(Files.readString(SharedCorpus.file(path)))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return vectors;
    }

    /** One JSON vector: numbers, base64 hashes (an empty string is an empty hash), a proof that may be null. */
    private record Vector(String name, JsonNode json) {

        String desc() {
            return json.path("desc").asText();
        }

        boolean wantErr() {
            return json.path("wantErr").asBoolean();
        }

        /** A Go uint64, with its 64 bits in a long. */
        long number(String field) {
            return json.get(field).bigIntegerValue().longValue();
        }

        byte[] hash(String field) {
            return Base64.getDecoder().decode(json.get(field).asText());
        }

        List<byte[]> proof() {
            List<byte[]> proof = new ArrayList<>();
            for (JsonNode node : json.path("proof")) {
                proof.add(Base64.getDecoder().decode(node.asText()));
            }
            return proof;
        }
    }
}

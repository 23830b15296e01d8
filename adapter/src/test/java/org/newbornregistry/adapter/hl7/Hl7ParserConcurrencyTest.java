package org.newbornregistry.adapter.hl7;

import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.Samples;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One parser serves every MLLP connection: when several connections send their first messages of
 * several structures at the same moment (a restart under load), each is parsed as if it came
 * alone. HAPI's PipeParser caches structure definitions in plain HashMaps, which one instance
 * shared by all connections lost entries of under that race (a NullPointerException, answered AR).
 */
class Hl7ParserConcurrencyTest {

    /** The project's samples and one ADT event of each structure HAPI 2.6 has, so that HAPI's cache grows past a resize. */
    private static final List<String> MESSAGES = Stream.concat(
            Stream.of("adt-a01-newborn-twin-b.hl7", "oml-o21-newborn-screening-order.hl7", "oru-r01-str-genotype.hl7",
                            "adt-a40-merge-duplicate-newborn.hl7")
                    .map(sample -> new String(Samples.v2(sample), StandardCharsets.UTF_8).replace("\r\n", "\r").replace('\n', '\r')),
            Stream.of("A02", "A03", "A05", "A06", "A09", "A12", "A15", "A16", "A17", "A18", "A20", "A21", "A24", "A30",
                            "A37", "A38", "A43", "A45", "A50", "A52", "A54", "A60", "A61")
                    .map(event -> "MSH|^~\\&|APP|FAC|NBR|NBR|20240101120000||ADT^" + event + "^ADT_" + event
                            + "|C" + event + "|P|2.6\rEVN||20240101120000\rPID|1||MRN-1^^^FAC^MR\r"))
            .toList();

    @Test
    void shouldParseTheFirstMessagesOfManyConnectionsAtOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(MESSAGES.size());
        try {
            for (int round = 0; round < 100; round++) {
                // given: a fresh parser, as after a restart, and one connection per message starting together
                Hl7Parser parser = new Hl7Parser();
                CyclicBarrier start = new CyclicBarrier(MESSAGES.size());
                List<Future<String>> parsed = new ArrayList<>();

                // when
                for (String message : MESSAGES) {
                    parsed.add(threads.submit(() -> {
                        start.await();
                        return parser.parse(message).getName();
                    }));
                }

                // then
                for (Future<String> message : parsed) {
                    assertThat(message.get()).isNotBlank();
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }
}

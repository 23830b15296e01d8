package org.newbornregistry.routes.mllp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.TwinBirth;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a broken or hostile peer can do to the MLLP listener over real sockets: random bytes, MLLP
 * frames that never end or never start, a frame cut inside a segment, megabytes without framing, a
 * frame followed by a connection reset. After each, a fresh connection must still get AA for a
 * valid message: the listener stays up and keeps serving. Random input comes from fixed seeds, so a
 * failure can be replayed.
 */
class MllpGarbageIT extends MllpListenerTestSupport {

    private static final byte START = 0x0b;
    private static final byte END = 0x1c;
    private static final byte CR = 0x0d;

    private Socket peer;

    @AfterEach
    void closePeer() throws IOException {
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void shouldStayHealthyAfterRandomBytesWithoutFraming() throws Exception {
        // given
        byte[] noise = random(1, 64 * 1024);

        // when
        try (Socket socket = connect()) {
            socket.getOutputStream().write(noise);
            socket.getOutputStream().flush();
        }

        // then
        assertListenerHealthy();
    }

    @Test
    void shouldAnswerRandomBytesInAFrameWithAnAckThatRefusesThem() throws Exception {
        // given: frame bytes left out of the content, so that the frame is one frame
        byte[] content = withoutFrameBytes(random(2, 4096));

        // when
        String ack;
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            ack = client.send(content);
        }

        // then
        assertThat(ack.split("\r")[1]).startsWith("MSA|AR|");
        assertThat(ack).contains("\rERR|").contains("NBR-5001");
        assertListenerHealthy();
    }

    @Test
    void shouldKeepServingOthersWhileAFrameHasStartedAndNotEnded() throws Exception {
        // given: a connection that sends a start block and half a message, then nothing
        peer = connect();
        OutputStream out = peer.getOutputStream();
        out.write(START);
        out.write(half(TwinBirth.unique().bytes()));
        out.flush();

        // when / then: another connection is served while that one waits
        assertListenerHealthy();
    }

    @Test
    void shouldStayHealthyAfterAnEndBlockWithoutAStart() throws Exception {
        // given
        byte[] message = TwinBirth.unique().bytes();
        byte[] unstarted = Arrays.copyOf(message, message.length + 2);
        unstarted[message.length] = END;
        unstarted[message.length + 1] = CR;

        // when
        try (Socket socket = connect()) {
            socket.getOutputStream().write(unstarted);
            socket.getOutputStream().flush();
        }

        // then
        assertListenerHealthy();
    }

    @Test
    void shouldStayHealthyAfterAConnectionClosedInsideASegment() throws Exception {
        // given
        byte[] cut = half(TwinBirth.unique().bytes());

        // when
        try (Socket socket = connect()) {
            socket.getOutputStream().write(START);
            socket.getOutputStream().write(cut);
            socket.getOutputStream().flush();
        }

        // then
        assertListenerHealthy();
    }

    @Test
    void shouldAnswerAFrameWhoseMessageIsCutInsideASegmentAndKeepTheConnection() throws Exception {
        // given: a complete frame around a message that ends in the middle of its PID segment
        TwinBirth birth = TwinBirth.unique();
        String text = birth.text();
        byte[] cut = text.substring(0, text.indexOf("PID|") + 12).getBytes(StandardCharsets.US_ASCII);

        // when
        String ack;
        String next;
        TwinBirth after = TwinBirth.unique();
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            ack = client.send(cut);
            next = client.send(after.bytes());
        }

        // then
        assertThat(ack.split("\r")[1]).startsWith("MSA|A").contains("|" + birth.controlId());
        assertThat(next.split("\r")[1]).isEqualTo("MSA|AA|" + after.controlId());
    }

    @Test
    void shouldStayHealthyAfterMegabytesOfGarbageWithoutFraming() throws Exception {
        // given
        byte[] garbage = withoutFrameBytes(random(3, 4 * 1024 * 1024));

        // when: the listener may close the connection before everything is written
        try (Socket socket = connect()) {
            socket.getOutputStream().write(garbage);
            socket.getOutputStream().flush();
        } catch (IOException closedByTheListener) {
            // Why: refusing the rest of the garbage is a healthy answer too; the check below is what counts.
        }

        // then
        assertListenerHealthy();
    }

    @Test
    void shouldStayHealthyAfterAFrameFollowedByAConnectionReset() throws Exception {
        // given
        byte[] message = TwinBirth.unique().bytes();

        // when: the peer sends a whole frame and resets the connection without reading the ACK
        Socket socket = connect();
        OutputStream out = socket.getOutputStream();
        out.write(START);
        out.write(message);
        out.write(new byte[] {END, CR});
        out.flush();
        socket.setSoLinger(true, 0);
        socket.close();

        // then
        assertListenerHealthy();
    }

    /** A fresh connection gets AA for a valid message, soon. */
    private static void assertListenerHealthy() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            TwinBirth birth = TwinBirth.unique();
            try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
                assertThat(client.send(birth.bytes()).split("\r")[1]).isEqualTo("MSA|AA|" + birth.controlId());
            }
        });
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("localhost", MLLP_PORT);
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static byte[] random(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] withoutFrameBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == START || bytes[i] == END) {
                bytes[i] = '?';
            }
        }
        return bytes;
    }

    private static byte[] half(byte[] message) {
        return Arrays.copyOf(message, message.length / 2);
    }
}

package org.newbornregistry.routes.mllp;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.newbornregistry.cli.MllpFrames;
import org.newbornregistry.conformance.TwinBirth;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.unit.DataSize;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What one sender may take of the MLLP listener: its share of the connections, a deadline for a
 * started message, and a frame size beyond which the rest is not read (answered AR, the start kept).
 */
class MllpLimitsIT extends MllpListenerTestSupport {

    private static final byte START = 0x0b;

    @Autowired
    CamelContext camel;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void shouldCloseAConnectionBeyondItsAddressShareAndServeAnotherAddressAndCountOnlyOpenConnections() throws Exception {
        // given: one address's twenty idle connections, its share of the listener
        int before = connections();
        double refusedBefore = refused("per-address");
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                idle.add(connectFrom("127.0.0.1"));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> connections() == before + 20);

            // when
            Socket oneTooMany = connectFrom("127.0.0.1");
            String otherAddressAck;
            try (Socket other = connectFrom("127.0.0.2")) {
                otherAddressAck = send(other, TwinBirth.unique());
            }

            // then
            assertThat(oneTooMany.getInputStream().read()).as("closed by the listener").isEqualTo(-1);
            oneTooMany.close();
            assertThat(otherAddressAck.split("\r")[1]).startsWith("MSA|AA|");
            assertThat(refused("per-address")).isEqualTo(refusedBefore + 1);
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> connections() == before);
    }

    @Test
    void shouldResetAConnectionWhoseMessageTricklesInPastTheDeadline() throws Exception {
        // given: a sender that starts a message and then writes one byte every 200 ms, each read well inside the read timeout
        byte[] message = TwinBirth.unique().bytes();
        Socket trickler = connectFrom("127.0.0.1");
        OutputStream out = trickler.getOutputStream();
        out.write(START);
        out.write(message, 0, 20);
        out.flush();
        ScheduledExecutorService pacing = Executors.newSingleThreadScheduledExecutor();
        int[] written = {20};
        pacing.scheduleAtFixedRate(() -> {
            try {
                if (written[0] < message.length) {
                    out.write(message[written[0]++]);
                    out.flush();
                }
            } catch (IOException reset) {
                pacing.shutdown();
            }
        }, 0, 200, TimeUnit.MILLISECONDS);

        // when / then: the listener resets it once the message deadline has passed, long before the message is complete
        InputStream in = trickler.getInputStream();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> closedByPeer(in));
            assertThat(written[0]).as("bytes sent when cut off").isLessThan(message.length);
        } finally {
            pacing.shutdownNow();
            trickler.close();
        }
    }

    @Test
    void shouldAnswerAFrameOverTheSizeLimitWithArKeepItsStartAndGoOnWithTheNextFrame() throws Exception {
        // given: a birth whose NTE is larger than the listener reads whole, then an ordinary birth on the same connection
        TwinBirth large = TwinBirth.unique();
        int limit = (int) DataSize.parse(MAX_FRAME_SIZE).toBytes();
        byte[] oversized = (large.text() + "NTE|1||" + "X".repeat(limit + 100_000) + "\r").getBytes(StandardCharsets.US_ASCII);
        TwinBirth next = TwinBirth.unique();

        // when
        String refusal;
        String accepted;
        try (Socket socket = connectFrom("127.0.0.1")) {
            refusal = send(socket, oversized);
            accepted = send(socket, next);
        }

        // then
        assertThat(refusal.split("\r")[1]).isEqualTo("MSA|AR|" + large.controlId());
        assertThat(refusal).contains("NBR-1002");
        assertThat(accepted.split("\r")[1]).isEqualTo("MSA|AA|" + next.controlId());
        Integer kept = jdbc.queryForObject("select length(raw) from hl7_message where control_id = ? and status = 'REFUSED'",
                Integer.class, large.controlId());
        assertThat(kept).isBetween(limit, oversized.length - 1);
    }

    private int connections() {
        return MllpInboundRoute.listener(camel).map(PipeliningMllpComponent.PipeliningConsumer::connections).orElse(-1);
    }

    private double refused(String reason) {
        var counter = meters.find("nbr.mllp.connections.refused").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static Socket connectFrom(String localAddress) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", MLLP_PORT));
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static String send(Socket socket, TwinBirth birth) throws IOException {
        return send(socket, birth.bytes());
    }

    private static String send(Socket socket, byte[] message) throws IOException {
        socket.getOutputStream().write(MllpFrames.frame(message));
        socket.getOutputStream().flush();
        return MllpFrames.read(socket.getInputStream());
    }

    private static boolean closedByPeer(InputStream in) {
        try {
            return in.read() == -1;
        } catch (SocketException reset) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

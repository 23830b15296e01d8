package org.newbornregistry.routes.mllp;

import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PipeliningMllpSocketBufferTest {

    @Test
    void shouldHandOutEveryFrameOfOneReadInOrderAndDropJunkBetweenThem() throws Exception {
        // given: three frames as one read, the second followed by a stray LF
        PipeliningMllpSocketBuffer buffer = new PipeliningMllpSocketBuffer(endpoint(), MllpLimits.NONE);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        read.write(frame("MSH|1"));
        read.write(frame("MSH|2"));
        read.write('\n');
        read.write(frame("MSH|3"));
        buffer.write(read.toByteArray());

        // when: what camel-mllp's consumer loop does: take a frame, reset, answer through the buffer, read
        List<String> payloads = new ArrayList<>();
        while (buffer.hasCompleteEnvelope()) {
            assertThat(buffer.hasTrailingOutOfBandData()).isFalse();
            payloads.add(new String(buffer.toMllpPayload(), StandardCharsets.US_ASCII));
            buffer.reset();
            buffer.setEnvelopedMessage("MSH|ACK".getBytes(StandardCharsets.US_ASCII));
            buffer.reset();
            buffer.readFrom(null, 1, 1);
        }

        // then
        assertThat(payloads).containsExactly("MSH|1", "MSH|2", "MSH|3");
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.hasPendingFrames()).isFalse();
    }

    @Test
    void shouldKeepAPartialNextFrameForTheNextRead() throws Exception {
        // given
        PipeliningMllpSocketBuffer buffer = new PipeliningMllpSocketBuffer(endpoint(), MllpLimits.NONE);
        byte[] second = frame("MSH|2");
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        read.write(frame("MSH|1"));
        read.write(second, 0, 4);
        buffer.write(read.toByteArray());

        // when
        buffer.reset();
        buffer.readFrom(null, 1, 1);
        buffer.write(java.util.Arrays.copyOfRange(second, 4, second.length));

        // then
        assertThat(new String(buffer.toMllpPayload(), StandardCharsets.US_ASCII)).isEqualTo("MSH|2");
    }

    private static MllpEndpoint endpoint() throws Exception {
        MllpComponent component = new MllpComponent();
        component.setCamelContext(new DefaultCamelContext());
        return new MllpEndpoint("mllp:localhost:1", component, new MllpConfiguration());
    }

    private static byte[] frame(String text) {
        byte[] body = text.getBytes(StandardCharsets.US_ASCII);
        byte[] framed = new byte[body.length + 3];
        framed[0] = 0x0b;
        System.arraycopy(body, 0, framed, 1, body.length);
        framed[body.length + 1] = 0x1c;
        framed[body.length + 2] = 0x0d;
        return framed;
    }
}

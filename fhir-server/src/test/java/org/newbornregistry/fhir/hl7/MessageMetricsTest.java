package org.newbornregistry.fhir.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.hl7.MessageHeader;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The HL7 message counter's tags come from a fixed list, whatever senders write in MSH-9. */
class MessageMetricsTest {

    @Test
    void shouldCountTakenTypesByNameAndEverythingElseAsOtherWithoutNewSeries() {
        // given
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MessageMetrics metrics = new MessageMetrics(meters);
        int series = meters.find("nbr.hl7.messages").counters().size();

        // when
        metrics.received(header("ADT", "A01"), AcknowledgmentCode.AA);
        metrics.received(header("ADT", "Z99"), AcknowledgmentCode.AR);
        for (int i = 0; i < 50; i++) {
            metrics.received(header(UUID.randomUUID().toString(), UUID.randomUUID().toString()), AcknowledgmentCode.AR);
        }

        // then
        assertThat(series).as("every series registered at zero from the start").isEqualTo(45);
        assertThat(meters.find("nbr.hl7.messages").counters()).hasSize(series);
        assertThat(count(meters, "ADT", "A01", "AA")).isEqualTo(1.0);
        assertThat(count(meters, "ADT", "other", "AR")).isEqualTo(1.0);
        assertThat(count(meters, "other", "other", "AR")).isEqualTo(50.0);
    }

    private static double count(SimpleMeterRegistry meters, String type, String trigger, String ack) {
        return meters.get("nbr.hl7.messages").tags("type", type, "trigger", trigger, "ack", ack).counter().count();
    }

    private static MessageHeader header(String type, String trigger) {
        return new MessageHeader('|', "^~\\&", "NURSERY", "GENERAL HOSPITAL", "NBR", "NEWBORN-REGISTRY", type, trigger,
                "CTRL-1", "P", "2.5.1", "");
    }
}

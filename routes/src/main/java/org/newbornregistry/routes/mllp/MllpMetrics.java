package org.newbornregistry.routes.mllp;

import ca.uhn.hl7v2.AcknowledgmentCode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The MLLP listener as metrics: {@code nbr.mllp.connections}, the client connections open now, and
 * {@code nbr.mllp.ack.latency}, from the moment a whole frame was read to the moment its ACK is
 * ready to be written (the message committed, or refused), by ACK code.
 */
public class MllpMetrics {

    private final Map<AcknowledgmentCode, Timer> latency = new EnumMap<>(AcknowledgmentCode.class);

    public MllpMetrics(MeterRegistry registry, CamelContext camel) {
        Gauge.builder("nbr.mllp.connections", camel, c -> MllpInboundRoute.listener(c).map(l -> l.connections()).orElse(0))
                .description("MLLP client connections open")
                .baseUnit("connections")
                .register(registry);
        for (AcknowledgmentCode code : new AcknowledgmentCode[]{AcknowledgmentCode.AA, AcknowledgmentCode.AE, AcknowledgmentCode.AR}) {
            latency.put(code, Timer.builder("nbr.mllp.ack.latency")
                    .description("Time from a received MLLP frame to its ACK, the message committed or refused, by ACK code")
                    .tag("ack", code.name())
                    .publishPercentileHistogram()
                    .register(registry));
        }
    }

    /** Records how long the exchange took to get its ACK. */
    void acknowledged(Exchange exchange, AcknowledgmentCode code) {
        Timer timer = latency.get(code);
        if (timer != null) {
            timer.record(exchange.getClock().elapsed(), TimeUnit.MILLISECONDS);
        }
    }
}

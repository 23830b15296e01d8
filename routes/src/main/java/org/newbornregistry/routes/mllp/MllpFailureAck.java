package org.newbornregistry.routes.mllp;

import ca.uhn.hl7v2.AcknowledgmentCode;
import org.apache.camel.Exchange;
import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.AckFactory;
import org.newbornregistry.adapter.hl7.Hl7Problem;
import org.newbornregistry.adapter.hl7.MessageHeader;
import org.newbornregistry.fhir.error.SafeThrowables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * The answer when processing failed unexpectedly (the registry's entrance handles every expected
 * failure itself): AR with error 207 and a reference, so the sender tries again, and a log line
 * with the reference and the exception's classes but no content.
 */
public class MllpFailureAck {

    private static final Logger LOG = LoggerFactory.getLogger(MllpFailureAck.class);

    private final AckFactory acks;
    private final MllpMetrics metrics;
    private final Clock clock;

    public MllpFailureAck(AckFactory acks, MllpMetrics metrics, Clock clock) {
        this.acks = acks;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Sets an AR for the message in the exchange body after the exception caught by the route. */
    public void reject(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reference = UUID.randomUUID().toString();
        LOG.error("MLLP message failed unexpectedly, answered AR, reference {}: {}", reference,
                cause == null ? "-" : SafeThrowables.describe(cause));
        MessageHeader header;
        try {
            byte[] raw = exchange.getMessage().getBody(byte[].class);
            header = MessageHeader.read(raw == null ? "" : new String(raw, StandardCharsets.ISO_8859_1).replace('\n', '\r'));
        } catch (MappingException e) {
            header = MessageHeader.UNKNOWN;
        }
        String ack = acks.ack(header, AcknowledgmentCode.AR, List.of(new Hl7Problem(NbrError.INTERNAL_ERROR, null,
                "internal error; quote reference " + reference + " to the operators")), clock.instant());
        MllpReceiver.setAcknowledgement(exchange, ack, AcknowledgmentCode.AR, metrics);
    }
}

package org.newbornregistry.routes.mllp;

import ca.uhn.hl7v2.AcknowledgmentCode;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpConstants;
import org.newbornregistry.fhir.messages.InboundMessageService;

import java.nio.charset.StandardCharsets;

/**
 * The step of the MLLP route that hands the received bytes to the registry's HL7 entrance and
 * puts the ACK it returns where camel-mllp (with {@code autoAck=false}) sends it from. The ACK
 * exists only after the message's records are committed.
 */
public class MllpReceiver {

    private final InboundMessageService inbound;

    public MllpReceiver(InboundMessageService inbound) {
        this.inbound = inbound;
    }

    /** Processes the message in the exchange body (bytes as received) and sets the ACK. */
    public void receive(Exchange exchange) {
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        InboundMessageService.Receipt receipt = inbound.receive(raw == null ? new byte[0] : raw);
        setAcknowledgement(exchange, receipt.ack(), receipt.ackCode());
    }

    /** Sets the ACK camel-mllp sends back on this connection. */
    static void setAcknowledgement(Exchange exchange, String ack, AcknowledgmentCode code) {
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, ack.getBytes(StandardCharsets.UTF_8));
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, code.name());
    }
}

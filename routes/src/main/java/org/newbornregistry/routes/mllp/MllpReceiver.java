package org.newbornregistry.routes.mllp;

import ca.uhn.hl7v2.AcknowledgmentCode;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpConstants;
import org.newbornregistry.fhir.hl7.InboundMessageService;
import org.newbornregistry.fhir.hl7.SenderCheck;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;

/**
 * The step of the MLLP route that hands the received bytes to the registry's HL7 entrance and
 * puts the ACK it returns where camel-mllp (with {@code autoAck=false}) sends it from. The ACK
 * exists only after the message's records are committed. Under mutual TLS the entrance first asks
 * whether the connection's client certificate may send for the message's sender.
 */
public class MllpReceiver {

    private final InboundMessageService inbound;
    private final CertificateSenderCheck certificates;
    private final MllpMetrics metrics;

    /** A receiver for plain TCP: every sender is taken at its word. */
    public MllpReceiver(InboundMessageService inbound, MllpMetrics metrics) {
        this(inbound, null, metrics);
    }

    /**
     * @param certificates the binding table's check under mutual TLS, or null on plain TCP
     */
    public MllpReceiver(InboundMessageService inbound, CertificateSenderCheck certificates, MllpMetrics metrics) {
        this.inbound = inbound;
        this.certificates = certificates;
        this.metrics = metrics;
    }

    /** Processes the message in the exchange body (bytes as received) and sets the ACK. */
    public void receive(Exchange exchange) {
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        SenderCheck senders = certificates == null ? SenderCheck.ANYONE : certificates.forConnection(
                exchange.getMessage().getHeader(PipeliningMllpComponent.CLIENT_CERTIFICATE, X509Certificate.class),
                exchange.getMessage().getHeader(MllpConstants.MLLP_REMOTE_ADDRESS, String.class));
        InboundMessageService.Receipt receipt = inbound.receive(raw == null ? new byte[0] : raw, senders);
        setAcknowledgement(exchange, receipt.ack(), receipt.ackCode(), metrics);
    }

    /** Sets the ACK camel-mllp sends back on this connection, and records how long the message waited for it. */
    static void setAcknowledgement(Exchange exchange, String ack, AcknowledgmentCode code, MllpMetrics metrics) {
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, ack.getBytes(StandardCharsets.UTF_8));
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, code.name());
        metrics.acknowledged(exchange, code);
    }
}

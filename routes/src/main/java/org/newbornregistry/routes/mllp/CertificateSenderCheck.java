package org.newbornregistry.routes.mllp;

import org.newbornregistry.adapter.audit.SecurityAuditEvents;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.Hl7Problem;
import org.newbornregistry.adapter.hl7.MessageHeader;
import org.newbornregistry.fhir.hl7.SenderCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;

/**
 * The MLLP listener's answer, under mutual TLS, to whether a connection may send a message: the
 * binding table asked with the connection's client certificate. A refusal is logged with the
 * certificate's fingerprint and subject, the address and the claimed sender (facility and
 * application names, MSH-10), never message content; it carries the security audit event that the
 * registry commits with the refused message.
 */
public final class CertificateSenderCheck {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateSenderCheck.class);

    private final MllpClientBindings bindings;
    private final Clock clock;

    public CertificateSenderCheck(MllpClientBindings bindings, Clock clock) {
        this.bindings = bindings;
        this.clock = clock;
    }

    /**
     * The check for messages of one connection.
     *
     * @param certificate   the client certificate of the connection, or null if it presented none
     * @param remoteAddress the connection's remote socket address as camel-mllp gives it ({@code /192.0.2.7:51234}), or null
     */
    public SenderCheck forConnection(X509Certificate certificate, String remoteAddress) {
        ClientCertificate client = certificate == null ? null : ClientCertificate.of(certificate);
        SecurityAuditEvents.Peer peer = new SecurityAuditEvents.Peer(client == null ? null : client.fingerprint(),
                client == null ? null : client.subjectName(), networkAddress(remoteAddress));
        return header -> check(client, peer, header);
    }

    private Optional<SenderCheck.Refusal> check(ClientCertificate client, SecurityAuditEvents.Peer peer, MessageHeader header) {
        Optional<MllpClientBindings.Refusal> refused = client == null
                ? Optional.of(new MllpClientBindings.Refusal(null, "the connection presented no client certificate"))
                : bindings.check(client, header);
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        MllpClientBindings.Refusal refusal = refused.get();
        LOG.warn("MLLP message {} refused AR {}: {}; certificate {} ({}) from {} claimed MSH-4 '{}', MSH-3 '{}'",
                MessageHeader.loggable(header.controlId()), NbrError.HL7_SENDER_NOT_AUTHORISED.code(), refusal.reason(), peer.certificateFingerprint(),
                peer.certificateSubject(), peer.address(), MessageHeader.loggable(header.sendingFacility()), MessageHeader.loggable(header.sendingApplication()));
        return Optional.of(new SenderCheck.Refusal(
                new Hl7Problem(NbrError.HL7_SENDER_NOT_AUTHORISED, refusal.field(), refusal.reason()),
                messageId -> SecurityAuditEvents.hl7SenderNotAuthorised(clock.instant(), peer, header, messageId, refusal.reason())));
    }

    /** The IP address of a socket address as {@code InetSocketAddress.toString()} prints it: {@code host/192.0.2.7:51234}, {@code /[::1]:51234}. */
    static String networkAddress(String socketAddress) {
        if (socketAddress == null || socketAddress.isBlank()) {
            return null;
        }
        String address = socketAddress.substring(socketAddress.lastIndexOf('/') + 1);
        int colon = address.lastIndexOf(':');
        if (colon > 0 && address.substring(colon + 1).matches("\\d+") && (address.indexOf(':') == colon || address.startsWith("["))) {
            address = address.substring(0, colon);
        }
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        return address;
    }
}

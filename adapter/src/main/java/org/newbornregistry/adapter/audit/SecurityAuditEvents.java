package org.newbornregistry.adapter.audit;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.newbornregistry.adapter.hl7.MessageHeader;
import org.newbornregistry.conformance.NbrCanonical;

import java.time.Instant;
import java.util.Date;

/**
 * Security alerts of the registry's entrances, shaped as DICOM Security Alert audit messages
 * (PS3.15 A.5.3.11, type DCM 110113) in the registry's AuditEvent profile: who tried (agent, with
 * the network address they came from), what they tried (subtype), and the object of the alert
 * (entity) with the details an investigation needs.
 *
 * <p>No event carries message content or patient data: of an HL7 v2 message only its store id
 * and the header fields that name sender and message (MSH-3, MSH-4, MSH-10) are recorded, as IHE
 * audit messages for HL7 v2 transactions do.
 */
public final class SecurityAuditEvents {

    /** Identifier system of client certificates: their SHA-256 fingerprint, colon-separated upper-case hex. */
    public static final String CERTIFICATE_SYSTEM = NbrCanonical.BASE + "/sid/x509-sha256-fingerprint";
    /** Identifier system of messages in the HL7 message store: their store id. */
    public static final String MESSAGE_STORE_SYSTEM = NbrCanonical.BASE + "/sid/hl7-message-store";
    /** The registry's event code of a TLS client the MLLP listener did not accept (subtype, beside DICOM's). */
    public static final String TLS_CLIENT_REFUSED = "tls-client-refused";
    /** The registry's event code of a refused MLLP sender (subtype, beside DICOM's). */
    public static final String SENDER_NOT_AUTHORISED = "hl7-sender-not-authorised";

    /**
     * The far end of a connection: its client certificate and where it connected from.
     *
     * @param certificateFingerprint SHA-256 fingerprint of the client certificate, or null without one
     * @param certificateSubject     the certificate's subject DN (RFC 2253), or null without one
     * @param address                IP address the connection came from, or null
     */
    private SecurityAuditEvents() {
    }

    public record Peer(String certificateFingerprint, String certificateSubject, String address) {
    }

    /**
     * An HL7 v2 message refused because the connection that delivered it may not send for the
     * sender its header names: a use of a restricted function (DCM 110132), serious failure.
     *
     * @param peer      the connection's client certificate and address
     * @param claimed   the header as received, for MSH-3, MSH-4 and MSH-10
     * @param messageId the message's id in the message store, or null when it was not stored
     * @param reason    why, without values (e.g. "MSH-4 not bound to the client certificate")
     */
    public static AuditEvent hl7SenderNotAuthorised(Instant at, Peer peer, MessageHeader claimed, Long messageId, String reason) {
        AuditEvent event = securityAlert(at, new Coding(IndexAuditEvents.DCM, "110132", "Use of Restricted Function"),
                new Coding(IndexAuditEvents.EVENT_SYSTEM, SENDER_NOT_AUTHORISED,
                        "HL7 v2 message from a connection whose client certificate may not send for its sender"),
                AuditEventOutcome._8, reason, peer, "MLLP client without a certificate");
        if (peer.certificateSubject() != null) {
            event.getAgentFirstRep().setName(peer.certificateSubject());
        }
        Reference message = new Reference().setDisplay("HL7 v2 message");
        if (messageId != null) {
            message.setIdentifier(new Identifier().setSystem(MESSAGE_STORE_SYSTEM).setValue(messageId.toString()));
        }
        AuditEventEntityComponent entity = event.addEntity().setWhat(message)
                .setType(new Coding(IndexAuditEvents.ENTITY_TYPE, "2", "System Object"));
        detail(entity, "MSH-3", claimed.sendingApplication());
        detail(entity, "MSH-4", claimed.sendingFacility());
        detail(entity, "MSH-10", claimed.controlId());
        return event;
    }

    /**
     * A TLS client the MLLP listener refused during the handshake — no trusted authority issued its
     * certificate, it presented none, or it did not speak TLS: a failed node authentication (DCM
     * 110126), minor failure — the connection never carried a message.
     *
     * @param peer       the certificate it presented (null fields without one) and where it connected from
     * @param issuer     the issuer DN of that certificate (RFC 2253), or null
     * @param reason     why, in protocol terms, without values
     * @param unrecorded refusals from the same address counted but not recorded one by one since its last record
     */
    public static AuditEvent tlsClientRefused(Instant at, Peer peer, String issuer, String reason, long unrecorded) {
        AuditEvent event = securityAlert(at, new Coding(IndexAuditEvents.DCM, "110126", "Node Authentication"),
                new Coding(IndexAuditEvents.EVENT_SYSTEM, TLS_CLIENT_REFUSED, "TLS client of the MLLP listener refused during the handshake"),
                AuditEventOutcome._4, DenialThrottle.withUnrecorded(reason, unrecorded), peer, "TLS client without a certificate");
        AuditEventEntityComponent certificate = event.addEntity()
                .setWhat(new Reference().setDisplay(peer.certificateSubject() == null ? "TLS connection" : "client certificate"))
                .setType(new Coding(IndexAuditEvents.ENTITY_TYPE, "2", "System Object"));
        detail(certificate, "subject", peer.certificateSubject());
        detail(certificate, "issuer", issuer);
        return event;
    }

    /**
     * A Security Alert (DCM 110113) of this subtype and the registry's own, with the connection's far end
     * as the requesting source agent and the registry as destination agent and observer; no entity yet.
     *
     * @param withoutCertificate how the source agent is named when it presented no certificate
     */
    private static AuditEvent securityAlert(Instant at, Coding subtype, Coding registrySubtype, AuditEventOutcome outcome,
                                            String outcomeDesc, Peer peer, String withoutCertificate) {
        AuditEvent event = new AuditEvent();
        event.getMeta().addProfile(NbrCanonical.AUDIT_EVENT);
        event.setType(new Coding(IndexAuditEvents.DCM, "110113", "Security Alert"));
        event.addSubtype(subtype);
        event.addSubtype(registrySubtype);
        event.setAction(AuditEventAction.E);
        event.setRecorded(Date.from(at));
        event.setOutcome(outcome);
        event.setOutcomeDesc(outcomeDesc);

        AuditEventAgentComponent source = event.addAgent();
        source.setType(new CodeableConcept(new Coding(IndexAuditEvents.DCM, "110153", "Source Role ID")));
        Reference who = new Reference().setDisplay(peer.certificateSubject() == null ? withoutCertificate : peer.certificateSubject());
        if (peer.certificateFingerprint() != null) {
            who.setIdentifier(new Identifier().setSystem(CERTIFICATE_SYSTEM).setValue(peer.certificateFingerprint()));
        }
        source.setWho(who);
        source.setRequestor(true);
        if (peer.address() != null) {
            source.getNetwork().setAddress(peer.address()).setType(AuditEvent.AuditEventAgentNetworkType._2);
        }

        AuditEventAgentComponent registry = event.addAgent();
        registry.setType(new CodeableConcept(new Coding(IndexAuditEvents.DCM, "110152", "Destination Role ID")));
        registry.setWho(IndexAuditEvents.registryDevice());
        registry.setRequestor(false);

        event.getSource().setObserver(IndexAuditEvents.registryDevice());
        event.getSource().setSite("newborn-registry-adapter");
        event.getSource().addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4",
                "Application Server"));
        return event;
    }

    private static void detail(AuditEventEntityComponent entity, String field, String value) {
        if (value != null && !value.isEmpty()) {
            entity.addDetail().setType(field).setValue(new StringType(value));
        }
    }
}

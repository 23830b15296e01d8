package org.newbornregistry.routes.mllp;

import org.newbornregistry.adapter.audit.DenialThrottle;
import org.newbornregistry.adapter.audit.SecurityAuditEvents;
import org.newbornregistry.fhir.audit.AuditTrail;
import org.newbornregistry.fhir.error.SafeThrowables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.security.auth.x500.X500Principal;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;

/**
 * Records each TLS client the MLLP listener refused as a security AuditEvent and logs it, up to a
 * rate per address ({@link DenialThrottle}; beyond it refusals are counted into the address's next
 * record). It runs on the handshake's thread, so it never throws: a lost record is an operator's
 * alarm, not a reason to accept anyone.
 */
public final class RefusedClientAudit implements TlsRefusals {

    private static final Logger LOG = LoggerFactory.getLogger(RefusedClientAudit.class);
    private static final String UNTRUSTED = "no trusted authority issued the client certificate";
    private static final int MAX_REASON = 200;

    private final AuditTrail trail;
    private final DenialThrottle throttle;
    private final Clock clock;

    public RefusedClientAudit(AuditTrail trail, DenialThrottle throttle, Clock clock) {
        this.trail = trail;
        this.throttle = throttle;
        this.clock = clock;
    }

    @Override
    public void untrustedCertificate(X509Certificate certificate, String address) {
        ClientCertificate client = ClientCertificate.of(certificate);
        String issuer = certificate.getIssuerX500Principal().getName(X500Principal.RFC2253);
        record(address, new SecurityAuditEvents.Peer(client.fingerprint(), client.subjectName(), address), issuer, UNTRUSTED);
    }

    @Override
    public void handshakeFailed(String address, String reason) {
        String why = "TLS handshake failed: " + (reason == null ? "no reason given"
                : reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        record(address, new SecurityAuditEvents.Peer(null, null, address), null, why);
    }

    private void record(String address, SecurityAuditEvents.Peer peer, String issuer, String reason) {
        Optional<Long> admitted = throttle.admit(address);
        if (admitted.isEmpty()) {
            LOG.debug("MLLP TLS client from {} refused again; counted, not recorded", address);
            return;
        }
        LOG.warn("MLLP TLS client refused: {}; certificate {} ({}) issued by {} from {}", reason,
                peer.certificateFingerprint(), peer.certificateSubject(), issuer, address);
        try {
            trail.record(SecurityAuditEvents.tlsClientRefused(clock.instant(), peer, issuer, reason, admitted.get()));
        } catch (RuntimeException e) {
            LOG.error("Audit event of a refused MLLP TLS client could not be stored: {}", SafeThrowables.describe(e));
        }
    }
}

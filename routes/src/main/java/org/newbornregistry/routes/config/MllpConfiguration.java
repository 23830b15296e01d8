package org.newbornregistry.routes.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.newbornregistry.adapter.audit.DenialThrottle;
import org.newbornregistry.adapter.hl7.AckFactory;
import org.newbornregistry.fhir.audit.AuditProperties;
import org.newbornregistry.fhir.audit.AuditTrail;
import org.newbornregistry.fhir.hl7.Hl7Properties;
import org.newbornregistry.fhir.hl7.InboundMessageService;
import org.newbornregistry.routes.mllp.CertificateSenderCheck;
import org.newbornregistry.routes.mllp.MllpClientBindings;
import org.newbornregistry.routes.mllp.MllpFailureAck;
import org.newbornregistry.routes.mllp.MllpInboundRoute;
import org.newbornregistry.routes.mllp.MllpLimits;
import org.newbornregistry.routes.mllp.MllpListenerHealthIndicator;
import org.newbornregistry.routes.mllp.MllpMetrics;
import org.newbornregistry.routes.mllp.MllpReceiver;
import org.newbornregistry.routes.mllp.MllpTls;
import org.newbornregistry.routes.mllp.PipeliningMllpComponent;
import org.newbornregistry.routes.mllp.RefusedClientAudit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The MLLP listener: the fixed mllp component, the route and its steps; with
 * {@code nbr.mllp.tls.enabled}, mutual TLS and the binding table of client certificates to senders.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MllpProperties.class)
@ConditionalOnProperty(prefix = "nbr.mllp", name = "enabled", havingValue = "true", matchIfMissing = true)
public class MllpConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MllpConfiguration.class);

    /**
     * Registered under the scheme's name, so {@code mllp:} endpoints are created by it. A frame over
     * the size limit is kept and refused by the HL7 entrance; a connection refused for the limits is
     * counted in {@code nbr.mllp.connections.refused}.
     */
    @Bean(name = "mllp")
    PipeliningMllpComponent mllp(RefusedClientAudit tlsRefusals, MllpProperties properties, InboundMessageService inbound,
                                 MeterRegistry meters) {
        PipeliningMllpComponent component = new PipeliningMllpComponent();
        component.setLogPhi(false);
        component.setTlsRefusals(tlsRefusals);
        component.setLimits(new MllpLimits(properties.maxConnections(), properties.maxConnectionsPerAddress(),
                (int) Math.min(Integer.MAX_VALUE - 16, properties.maxFrameSize().toBytes()), properties.messageTimeout().toMillis()));
        component.setOversizeFrames((prefix, frameBytes, address) ->
                inbound.refuseTooLarge(prefix, frameBytes).ack().getBytes(StandardCharsets.UTF_8));
        component.setRefusedConnections((address, reason) -> Counter.builder("nbr.mllp.connections.refused")
                .description("MLLP connections closed at once: their address held its share of the listener, or the listener was full")
                .tag("reason", reason).register(meters).increment());
        return component;
    }

    /** Records the TLS clients the listener turns away, throttled per address. */
    @Bean
    RefusedClientAudit mllpTlsRefusals(AuditTrail trail, AuditProperties audit, Clock clock) {
        return new RefusedClientAudit(trail,
                DenialThrottle.perMinute(audit.anonymousDenialsPerMinute(), clock), clock);
    }

    @Bean
    MllpMetrics mllpMetrics(MeterRegistry meters, CamelContext camel) {
        return new MllpMetrics(meters, camel);
    }

    /** The listener's part of readiness (health contributor {@code mllp}). */
    @Bean
    MllpListenerHealthIndicator mllpHealthIndicator(CamelContext camel, MllpProperties properties) {
        return new MllpListenerHealthIndicator(camel, properties.port());
    }

    @Bean
    MllpInboundRoute mllpInboundRoute(MllpProperties properties, InboundMessageService inbound, Hl7Properties hl7,
                                      RefusedClientAudit tlsRefusals, MllpMetrics metrics, Clock clock) {
        MllpFailureAck failureAck = new MllpFailureAck(new AckFactory(hl7.ackApplication(), hl7.ackFacility()), metrics, clock);
        MllpProperties.Tls tls = properties.tls();
        if (!tls.enabled()) {
            LOG.warn("MLLP listener on {}:{} takes plain TCP without client authentication (nbr.mllp.tls.enabled=false);"
                    + " fit for development only", properties.host(), properties.port());
            return new MllpInboundRoute(properties, new MllpReceiver(inbound, metrics), failureAck);
        }
        SSLContextParameters parameters = MllpTls.serverParameters(tls, tlsRefusals);
        MllpClientBindings bindings = MllpClientBindings.of(tls.clients());
        LOG.info("MLLP listener on {}:{} requires TLS with a client certificate; {} client binding(s)",
                properties.host(), properties.port(), bindings.size());
        bindings.describe().forEach(binding -> LOG.info("MLLP client binding: {}", binding));
        if (bindings.size() == 0) {
            LOG.warn("nbr.mllp.tls.clients is empty: every message will be refused (AR NBR-5012)");
        }
        CertificateSenderCheck senders = new CertificateSenderCheck(bindings, clock);
        return new MllpInboundRoute(properties, new MllpReceiver(inbound, senders, metrics), failureAck, parameters);
    }
}

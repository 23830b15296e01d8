package org.newbornregistry.routes.config;

import org.newbornregistry.adapter.hl7.AckFactory;
import org.newbornregistry.fhir.messages.Hl7Properties;
import org.newbornregistry.fhir.messages.InboundMessageService;
import org.newbornregistry.routes.mllp.MllpFailureAck;
import org.newbornregistry.routes.mllp.MllpInboundRoute;
import org.newbornregistry.routes.mllp.MllpReceiver;
import org.newbornregistry.routes.mllp.PipeliningMllpComponent;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The MLLP listener: the fixed mllp component, the route and its steps. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MllpProperties.class)
@ConditionalOnProperty(prefix = "nbr.mllp", name = "enabled", havingValue = "true", matchIfMissing = true)
public class MllpConfiguration {

    /** Registered under the scheme's name, so {@code mllp:} endpoints are created by it. */
    @Bean(name = "mllp")
    PipeliningMllpComponent mllp() {
        PipeliningMllpComponent component = new PipeliningMllpComponent();
        component.setLogPhi(false);
        return component;
    }

    @Bean
    MllpInboundRoute mllpInboundRoute(MllpProperties properties, InboundMessageService inbound, Hl7Properties hl7) {
        return new MllpInboundRoute(properties, new MllpReceiver(inbound),
                new MllpFailureAck(new AckFactory(hl7.ackApplication(), hl7.ackFacility())));
    }
}

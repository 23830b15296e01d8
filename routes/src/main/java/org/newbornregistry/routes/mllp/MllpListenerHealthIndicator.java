package org.newbornregistry.routes.mllp;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.util.Optional;

/**
 * Readiness of the HL7 v2 entrance: UP while the MLLP route runs and its consumer is listening on
 * its port (bound, server socket open), DOWN otherwise. Why not a test connection to the port: under
 * mutual TLS every connection without a client certificate is a refused client, audited.
 */
public class MllpListenerHealthIndicator implements HealthIndicator {

    private final CamelContext camel;
    private final int port;

    public MllpListenerHealthIndicator(CamelContext camel, int port) {
        this.camel = camel;
        this.port = port;
    }

    @Override
    public Health health() {
        ServiceStatus route = camel.getRouteController().getRouteStatus(MllpInboundRoute.ROUTE_ID);
        Optional<PipeliningMllpComponent.PipeliningConsumer> listener = MllpInboundRoute.listener(camel);
        Health.Builder health = listener.filter(PipeliningMllpComponent.PipeliningConsumer::isListening).isPresent()
                && route != null && route.isStarted() ? Health.up() : Health.down();
        return health.withDetail("route", route == null ? "absent" : route.name())
                .withDetail("port", port)
                .withDetail("listening", listener.map(PipeliningMllpComponent.PipeliningConsumer::isListening).orElse(false))
                .withDetail("connections", listener.map(PipeliningMllpComponent.PipeliningConsumer::connections).orElse(0))
                .build();
    }
}

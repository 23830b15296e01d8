package org.newbornregistry.routes.mllp;

import org.apache.camel.builder.RouteBuilder;
import org.newbornregistry.routes.config.MllpProperties;

/**
 * HL7 v2 over MLLP into the registry: one route, one step. The listener sends no ACK of its own
 * ({@code autoAck=false}) and its component logs no message content ({@code logPhi=false}, set
 * on the component in {@code MllpConfiguration}); the receiver
 * commits the message before it sets the ACK. Frames pipelined on one connection are
 * processed in order (see {@link PipeliningMllpComponent}).
 */
public class MllpInboundRoute extends RouteBuilder {

    /** Id of the route, and of its error configuration. */
    public static final String ROUTE_ID = "nbr-mllp-inbound";

    private final MllpProperties properties;
    private final MllpReceiver receiver;
    private final MllpFailureAck failureAck;

    public MllpInboundRoute(MllpProperties properties, MllpReceiver receiver, MllpFailureAck failureAck) {
        this.properties = properties;
        this.receiver = receiver;
        this.failureAck = failureAck;
    }

    @Override
    public void configure() {
        onException(Exception.class).id("nbr-mllp-failure")
                .handled(true)
                .bean(failureAck, "reject").id("reject");

        from("mllp:" + properties.host() + ":" + properties.port()
                + "?autoAck=false&stringPayload=false&hl7Headers=false&validatePayload=false"
                + "&maxConcurrentConsumers=" + properties.maxConnections()
                + "&receiveTimeout=" + properties.receiveTimeout()
                + (properties.idleTimeout() > 0 ? "&idleTimeout=" + properties.idleTimeout() : ""))
                .routeId(ROUTE_ID)
                .bean(receiver, "receive").id("receive");
    }
}

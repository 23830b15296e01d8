package org.newbornregistry.routes.mllp;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.newbornregistry.routes.config.MllpProperties;

import java.time.Duration;
import java.util.Optional;

/**
 * HL7 v2 over MLLP into the registry: one route, one step. The listener sends no ACK of its own
 * ({@code autoAck=false}) and its component logs no message content ({@code logPhi=false}, set
 * on the component in {@code MllpConfiguration}); the receiver
 * commits the message before it sets the ACK. Frames pipelined on one connection are
 * processed in order (see {@link PipeliningMllpComponent}). With SSL parameters the listener takes
 * only TLS connections with a client certificate (see {@link MllpTls}).
 */
public class MllpInboundRoute extends RouteBuilder {

    /** Id of the route, and of its error configuration. */
    public static final String ROUTE_ID = "nbr-mllp-inbound";
    /** Name the listener's SSL parameters are bound under in Camel's registry. */
    static final String TLS_PARAMETERS = "nbrMllpTls";

    private final MllpProperties properties;
    private final MllpReceiver receiver;
    private final MllpFailureAck failureAck;
    private final SSLContextParameters tls;

    /** A listener on plain TCP. */
    public MllpInboundRoute(MllpProperties properties, MllpReceiver receiver, MllpFailureAck failureAck) {
        this(properties, receiver, failureAck, null);
    }

    /**
     * @param tls the listener's SSL parameters ({@link MllpTls#serverParameters}), or null for plain TCP
     */
    public MllpInboundRoute(MllpProperties properties, MllpReceiver receiver, MllpFailureAck failureAck,
                            SSLContextParameters tls) {
        this.properties = properties;
        this.receiver = receiver;
        this.failureAck = failureAck;
        this.tls = tls;
    }

    /** The route's listener, while the route has its consumer. */
    static Optional<PipeliningMllpComponent.PipeliningConsumer> listener(CamelContext camel) {
        Route route = camel.getRoute(ROUTE_ID);
        return route != null && route.getConsumer() instanceof PipeliningMllpComponent.PipeliningConsumer consumer
                ? Optional.of(consumer) : Optional.empty();
    }

    @Override
    public void configure() {
        onException(Exception.class).id("nbr-mllp-failure")
                .handled(true)
                .bean(failureAck, "reject").id("reject");

        if (tls != null) {
            bindToRegistry(TLS_PARAMETERS, tls);
        }
        // Why reuseAddress: camel-mllp turns SO_REUSEADDR off by default; after a crash the connections the listener had
        // open wait out TIME_WAIT on its port for a minute, and a restart could not bind it (found by CrashSafetyIT).
        from("mllp:" + properties.host() + ":" + properties.port()
                + "?autoAck=false&stringPayload=false&hl7Headers=false&validatePayload=false&reuseAddress=true"
                + "&maxConcurrentConsumers=" + properties.maxConnections()
                + "&receiveTimeout=" + properties.receiveTimeout().toMillis()
                + (properties.idleTimeout().compareTo(Duration.ZERO) > 0 ? "&idleTimeout=" + properties.idleTimeout().toMillis() : "")
                + (tls != null ? "&sslContextParameters=#" + TLS_PARAMETERS : ""))
                .routeId(ROUTE_ID)
                .bean(receiver, "receive").id("receive");
    }
}

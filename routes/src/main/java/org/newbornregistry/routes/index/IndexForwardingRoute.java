package org.newbornregistry.routes.index;

import org.apache.camel.builder.RouteBuilder;

/**
 * Drains the outbox towards the national index on a timer. Every instance of the adapter runs
 * it; the rows' {@code FOR UPDATE SKIP LOCKED} claim keeps them from sending one row twice.
 */
public class IndexForwardingRoute extends RouteBuilder {

    public static final String ROUTE_ID = "nbr-index-outbox";

    /** Most rows one tick works, so that a long backlog does not hold the timer thread forever. */
    static final int BATCH = 100;

    private final IndexForwarder forwarder;
    private final long periodMillis;

    public IndexForwardingRoute(IndexForwarder forwarder, long periodMillis) {
        this.forwarder = forwarder;
        this.periodMillis = periodMillis;
    }

    @Override
    public void configure() {
        from("timer:" + ROUTE_ID + "?delay=" + periodMillis + "&period=" + periodMillis)
                .routeId(ROUTE_ID)
                .bean(forwarder, "drain(" + BATCH + ")");
    }
}

package org.newbornregistry.routes.index;

import org.apache.camel.builder.RouteBuilder;

/** Runs {@link RetentionRun} on a schedule. */
public class RetentionRoute extends RouteBuilder {

    public static final String ROUTE_ID = "nbr-retention";

    private final RetentionRun retention;
    private final long delayMillis;
    private final long periodMillis;

    public RetentionRoute(RetentionRun retention, long delayMillis, long periodMillis) {
        this.retention = retention;
        this.delayMillis = delayMillis;
        this.periodMillis = periodMillis;
    }

    @Override
    public void configure() {
        from("timer:" + ROUTE_ID + "?delay=" + delayMillis + "&period=" + periodMillis)
                .routeId(ROUTE_ID)
                .bean(retention, "run");
    }
}

package org.newbornregistry.fhir.interceptor;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps HAPI's interceptor service from logging a refusal as an error. HAPI logs every exception
 * an interceptor throws at ERROR with its stack trace — including each 403 of the authorisation
 * rules and each 4xx the registry's interceptors answer on purpose — so that operators would learn
 * to ignore ERROR. The refusal is logged once at INFO by {@link SafeErrorInterceptor} and audited;
 * a 5xx, or anything that is not an HTTP answer, is still logged at ERROR.
 */
public final class RefusalLogFilter extends TurboFilter {

    /** HAPI's logger of exceptions thrown by interceptors. */
    static final String HAPI_INTERCEPTOR_SERVICE = "ca.uhn.fhir.interceptor.executor.BaseInterceptorService";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == Level.ERROR && HAPI_INTERCEPTOR_SERVICE.equals(logger.getName()) && isRefusal(t, params)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }

    private static boolean isRefusal(Throwable thrown, Object[] params) {
        Throwable candidate = thrown;
        if (candidate == null && params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last) {
            candidate = last;
        }
        return candidate instanceof BaseServerResponseException answer && answer.getStatusCode() < 500;
    }

    /** Adds the filter to Logback, once, if Logback is the logging backend. */
    public static void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(RefusalLogFilter.class::isInstance)) {
            RefusalLogFilter filter = new RefusalLogFilter();
            filter.setName("nbr-refusal-log-filter");
            filter.start();
            context.addTurboFilter(filter);
        }
    }
}

package org.newbornregistry.fhir.interceptor;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;

import java.util.Iterator;

/**
 * Keeps HAPI's interceptor service from logging a refusal as an error. HAPI logs every exception
 * an interceptor throws at ERROR with its stack trace — including each 403 of the authorisation
 * rules and each 4xx the registry's interceptors answer on purpose — so that operators would learn
 * to ignore ERROR. The refusal is logged once at INFO by {@link SafeErrorInterceptor} and audited;
 * a 5xx, or anything that is not an HTTP answer, is still logged at ERROR.
 *
 * <p>A filter on the appenders, not a turbo filter: appenders see only events that passed the
 * level check, while a turbo filter is asked about every logging call, debug and trace included.
 */
public final class RefusalLogFilter extends Filter<ILoggingEvent> {

    /** HAPI's logger of exceptions thrown by interceptors. */
    static final String HAPI_INTERCEPTOR_SERVICE = "ca.uhn.fhir.interceptor.executor.BaseInterceptorService";

    @Override
    public FilterReply decide(ILoggingEvent event) {
        if (event.getLevel() == Level.ERROR && HAPI_INTERCEPTOR_SERVICE.equals(event.getLoggerName())
                && isRefusal(event.getThrowableProxy())) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }

    private static boolean isRefusal(IThrowableProxy thrown) {
        return thrown instanceof ThrowableProxy proxy && proxy.getThrowable() instanceof BaseServerResponseException answer
                && answer.getStatusCode() < 500;
    }

    /** Adds the filter to the root logger's appenders, once each, if Logback is the logging backend. */
    public static void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
            while (appenders.hasNext()) {
                Appender<ILoggingEvent> appender = appenders.next();
                if (appender.getCopyOfAttachedFiltersList().stream().noneMatch(RefusalLogFilter.class::isInstance)) {
                    RefusalLogFilter filter = new RefusalLogFilter();
                    filter.setName("nbr-refusal-log-filter");
                    filter.start();
                    appender.addFilter(filter);
                }
            }
        }
    }
}

package org.newbornregistry.fhir.interceptor;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Against a Logback context of its own, so the filter touches nothing else of the test JVM. */
class RefusalLogFilterTest {

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> appended = new ListAppender<>();

    @BeforeEach
    void setUp() {
        RefusalLogFilter filter = new RefusalLogFilter();
        filter.start();
        appended.addFilter(filter);
        appended.setContext(context);
        appended.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appended);
    }

    @AfterEach
    void tearDown() {
        context.stop();
    }

    @Test
    void shouldDropHapisErrorLineForARefusalAnInterceptorAnswered() {
        // when
        hapi().error("Exception thrown by interceptor for pointcut {}: {}", "SERVER_INCOMING_REQUEST_PRE_HANDLED", "x",
                new ForbiddenOperationException("Access denied by rule"));

        // then
        assertThat(appended.list).isEmpty();
    }

    @Test
    void shouldKeepHapisErrorLineForAServerError() {
        // when
        hapi().error("Exception thrown by interceptor for pointcut {}: {}", "SERVER_OUTGOING_RESPONSE", "x",
                new InternalErrorException("broken"));

        // then
        assertThat(appended.list).hasSize(1);
    }

    @Test
    void shouldKeepOtherLoggersRefusals() {
        // when
        context.getLogger("org.newbornregistry.Anything").error("refused", new ForbiddenOperationException("no"));

        // then
        assertThat(appended.list).hasSize(1);
    }

    private Logger hapi() {
        return context.getLogger(RefusalLogFilter.HAPI_INTERCEPTOR_SERVICE);
    }
}

package org.newbornregistry.fhir.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationStartingEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The background parsing of HAPI's core definitions: started by the application's first event on a
 * thread of its own, waited for by those who need the definitions, and not started when turned off.
 */
class CoreDefinitionsPreloaderTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(CoreDefinitionsPreloader.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Level level;

    @BeforeEach
    void listen() {
        level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logged);
        logger.setLevel(level);
        System.clearProperty(CoreDefinitionsPreloader.IGNORE_PROPERTY);
    }

    @Test
    void shouldParseTheCoreDefinitionsOnAThreadOfItsOwnWhenTheApplicationStartsAndLetOthersWaitForIt() {
        // when
        new CoreDefinitionsPreloader().onApplicationEvent(starting());
        CoreDefinitionsPreloader.awaitCoreDefinitions();

        // then
        assertThat(logged.list).as("parsed before the wait returned").singleElement().satisfies(event -> {
            assertThat(event.getThreadName()).isEqualTo("nbr-fhir-preload");
            assertThat(event.getFormattedMessage()).matches("\\d{3,} R4 core definitions parsed in the background in \\d+ ms");
        });
    }

    @Test
    void shouldLeaveTheParsingToItsFirstUserWhenTurnedOff() {
        // given
        System.setProperty(CoreDefinitionsPreloader.IGNORE_PROPERTY, "true");

        // when
        new CoreDefinitionsPreloader().onApplicationEvent(starting());
        CoreDefinitionsPreloader.awaitCoreDefinitions();

        // then
        assertThat(logged.list).isEmpty();
    }

    private static ApplicationStartingEvent starting() {
        return new ApplicationStartingEvent(new DefaultBootstrapContext(), new SpringApplication(), new String[0]);
    }
}

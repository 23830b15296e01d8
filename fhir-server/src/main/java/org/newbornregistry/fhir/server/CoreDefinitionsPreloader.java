package org.newbornregistry.fhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;

import java.util.concurrent.CompletableFuture;

/**
 * Parses HAPI's R4 core definitions (every base StructureDefinition, then the code systems and
 * value sets, read from XML bundles) on a thread of its own as soon as the application starts, the way Spring Boot's
 * {@code BackgroundPreinitializer} warms Jackson and the validators: they are needed by the search
 * index's FHIRPath engine and by the validator, and parsing them took four seconds of the main
 * thread, while the main thread's first five seconds (configuration classes, class loading) leave
 * the second core idle. HAPI keeps the parsed definitions in a JVM-wide cache per FHIR version
 * ({@link DefaultProfileValidationSupport}), so every FhirContext finds them there afterwards.
 *
 * <p>The registry's FhirContext bean calls {@link #awaitCoreDefinitions()} before it is handed out:
 * HAPI's cache does not guard against two threads filling it at once, and parsing them twice would
 * cost more than waiting (by then, after Spring's configuration phase, the parse is usually done). Off on one core, and when the system property {@value #IGNORE_PROPERTY} is {@code true}.
 * Registered in {@code META-INF/spring.factories}, because it must run before the context exists.
 */
public class CoreDefinitionsPreloader implements ApplicationListener<SpringApplicationEvent> {

    /** Set to {@code true} to parse the core definitions on the thread that first needs them instead. */
    public static final String IGNORE_PROPERTY = "nbr.fhir.preload.ignore";

    private static final Logger LOG = LoggerFactory.getLogger(CoreDefinitionsPreloader.class);
    private static volatile CompletableFuture<Void> loading = CompletableFuture.completedFuture(null);

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationStartingEvent && enabled()) {
            start();
        } else if (event instanceof ApplicationReadyEvent || event instanceof ApplicationFailedEvent) {
            awaitCoreDefinitions();
        }
    }

    private static boolean enabled() {
        return !Boolean.getBoolean(IGNORE_PROPERTY) && Runtime.getRuntime().availableProcessors() > 1;
    }

    private static synchronized void start() {
        if (!loading.isDone()) {
            return;
        }
        CompletableFuture<Void> started = new CompletableFuture<>();
        loading = started;
        Thread thread = new Thread(() -> {
            long began = System.nanoTime();
            DefaultProfileValidationSupport core = new DefaultProfileValidationSupport(FhirContext.forR4());
            try {
                int definitions = core.fetchAllStructureDefinitions().size();
                LOG.debug("{} R4 core definitions parsed in the background in {} ms", definitions, (System.nanoTime() - began) / 1_000_000);
            } catch (RuntimeException | LinkageError e) {
                // Why: a failure here only moves the work back to the thread that first needs the definitions.
                LOG.warn("Background parsing of the R4 core definitions failed ({}); they are parsed when first needed",
                        e.getClass().getSimpleName());
            } finally {
                started.complete(null);
            }
            try {
                // Why: the first validation of a coded element would otherwise parse all of them on a client's request.
                core.fetchCodeSystem("http://hl7.org/fhir/administrative-gender");
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Background parsing of the R4 core code systems failed ({})", e.getClass().getSimpleName());
            }
        }, "nbr-fhir-preload");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the background parsing started at application start, if any, has finished. */
    public static void awaitCoreDefinitions() {
        loading.join();
    }
}

package org.newbornregistry.routes.conformance;

import org.newbornregistry.fhir.TestTokens;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.newbornregistry.NbrApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The adapter the conformance suite talks to, shared by every class of the suite: the FHIR base
 * URL given with {@code -Dnbr.conformance.base-url=http://host:8080/fhir}, or else the whole
 * application ({@link NbrApplication}) started once per test JVM on a random port over a
 * throw-away embedded PostgreSQL, as the other application tests start it.
 *
 * <p>Why not {@code @SpringBootTest}: it would start the application and its PostgreSQL even when
 * the suite is pointed at a deployed adapter. The HL7 listener stays off; the suite speaks FHIR only.
 */
final class ConformanceTarget implements ParameterResolver {

    /** System property naming the FHIR base URL of a running adapter to test instead of a local one. */
    static final String BASE_URL_PROPERTY = "nbr.conformance.base-url";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Session.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(ConformanceTarget.class))
                .getOrComputeIfAbsent(Session.class, key -> Session.open(), Session.class);
    }

    /**
     * One connection to the adapter under test: its base URL, a generic client whose every
     * response is validated, and the CapabilityStatement that drives the suite.
     */
    static final class Session implements ExtensionContext.Store.CloseableResource {

        final String baseUrl;
        final boolean local;
        final FhirContext fhir;
        final ResponseValidator validator;
        final IGenericClient client;
        final CapabilityStatement capabilities;
        private final ConfigurableApplicationContext application;

        private Session(String baseUrl, ConfigurableApplicationContext application, FhirContext fhir,
                        ResponseValidator validator) {
            this.baseUrl = baseUrl;
            this.local = application != null;
            this.application = application;
            this.fhir = fhir;
            this.validator = validator;
            this.client = TestTokens.authorised(fhir.newRestfulGenericClient(baseUrl));
            // Why: fetched before the validator listens, so that its validity is a test's finding (CapabilityConformanceIT).
            this.capabilities = client.capabilities().ofType(CapabilityStatement.class).execute();
            this.client.registerInterceptor(validator);
        }

        private static Session open() {
            FhirContext fhir = FhirContext.forR4();
            fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
            fhir.getRestfulClientFactory().setSocketTimeout(60_000);
            String remote = System.getProperty(BASE_URL_PROPERTY, "").strip();
            // Why: loading the R4 definitions takes seconds; do it while the application starts.
            CompletableFuture<ResponseValidator> validator =
                    CompletableFuture.supplyAsync(() -> ResponseValidator.warmed(fhir, remote.isEmpty()));
            if (!remote.isEmpty()) {
                return new Session(remote.replaceAll("/+$", ""), null, fhir, validator.join());
            }
            // Why: command-line arguments, not builder properties, which application.yml would override (port 8080, ./data).
            ConfigurableApplicationContext application = new SpringApplicationBuilder(NbrApplication.class).run(
                    "--server.port=0",
                    "--nbr.mllp.enabled=false",
                    // Why: not a @TempDir, which JUnit deletes while PostgreSQL still runs.
                    "--nbr.database.embedded.data-dir=target/embedded-postgres/" + UUID.randomUUID(),
                    "--nbr.database.embedded.durable=false");
            try {
                int port = ((WebServerApplicationContext) application).getWebServer().getPort();
                String basePath = application.getEnvironment().getProperty("nbr.fhir.base-path", "/fhir");
                return new Session("http://localhost:" + port + basePath, application, fhir, validator.join());
            } catch (RuntimeException e) {
                application.close();
                throw e;
            }
        }

        @Override
        public void close() {
            if (application != null) {
                application.close();
            }
        }
    }
}

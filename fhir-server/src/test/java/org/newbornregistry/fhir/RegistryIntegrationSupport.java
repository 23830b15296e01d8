package org.newbornregistry.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the registry's integration tests: the real application on a random port over the
 * embedded PostgreSQL (one per test JVM, shared through Spring's context cache), and a HAPI
 * generic client talking real HTTP to it.
 */
@SpringBootTest(classes = RegistryTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class RegistryIntegrationSupport {

    /** One client context for all tests; building a FhirContext is expensive. */
    protected static final FhirContext FHIR = FhirContext.forR4Cached();

    static {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        FHIR.getRestfulClientFactory().setSocketTimeout(60_000);
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected IGenericClient client;

    @BeforeEach
    void connectClient() {
        client = TestTokens.authorised(FHIR.newRestfulGenericClient(baseUrl()));
    }

    /** The FHIR base URL of the running registry. */
    protected String baseUrl() {
        return "http://localhost:" + port + "/fhir";
    }

    /** The registry error code ({@code NBR-xxxx}) in the OperationOutcome of an error response. */
    protected static String nbrCode(BaseServerResponseException error) {
        OperationOutcome outcome = (OperationOutcome) error.getOperationOutcome();
        assertThat(outcome).as("OperationOutcome of HTTP %s", error.getStatusCode()).isNotNull();
        return outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode();
    }

    /** A system URI unique to one test, so tests never see each other's identifiers. */
    protected static String uniqueSystem() {
        return "urn:uuid:" + UUID.randomUUID();
    }
}

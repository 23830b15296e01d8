package org.newbornregistry.routes.mllp;

import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.newbornregistry.NbrApplication;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.UUID;

/**
 * The whole application with its MLLP listener on a free port, over an embedded database of its
 * own. The MLLP ITs extend this one class so that Spring's test-context cache starts the
 * application once for all of them: the cache key includes the {@code @DynamicPropertySource}
 * method, which is this class's. With the Prometheus registry as the application runs it: Spring
 * Boot's tests leave metric exports out unless asked ({@code @AutoConfigureObservability}).
 */
@CamelSpringBootTest
@AutoConfigureObservability(tracing = false)
@SpringBootTest(classes = NbrApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class MllpListenerTestSupport {

    protected static final int MLLP_PORT = AvailablePortFinder.getNextAvailable();
    /** Short enough for a test to see a trickling sender cut off. */
    protected static final String MESSAGE_TIMEOUT = "2s";
    /** Small enough for a test to send a larger frame quickly. */
    protected static final String MAX_FRAME_SIZE = "256KB";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nbr.database.embedded.data-dir", () -> "target/embedded-postgres/" + UUID.randomUUID());
        registry.add("nbr.audit.checkpoint-file", () -> "target/audit-checkpoints/" + UUID.randomUUID() + ".log");
        registry.add("nbr.database.embedded.durable", () -> "false");
        registry.add("nbr.mllp.port", () -> MLLP_PORT);
        registry.add("nbr.mllp.message-timeout", () -> MESSAGE_TIMEOUT);
        registry.add("nbr.mllp.max-frame-size", () -> MAX_FRAME_SIZE);
    }
}

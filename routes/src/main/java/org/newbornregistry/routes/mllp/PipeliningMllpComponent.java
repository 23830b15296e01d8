package org.newbornregistry.routes.mllp;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;

import java.net.Socket;
import java.util.Map;

/**
 * camel-mllp with its consumer fixed to process pipelined frames (see
 * {@link PipeliningMllpSocketBuffer}); otherwise camel-mllp as it is. Registered as the
 * {@code mllp} component, so routes keep using {@code mllp:} URIs. Remove once the project can
 * move to a Camel release with CAMEL-24668.
 */
public class PipeliningMllpComponent extends MllpComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MllpEndpoint configured = (MllpEndpoint) super.createEndpoint(uri, remaining, parameters);
        PipeliningEndpoint endpoint = new PipeliningEndpoint(uri, this, configured.getConfiguration());
        endpoint.setHostname(configured.getHostname());
        endpoint.setPort(configured.getPort());
        endpoint.setCharsetName(configured.getCharsetName());
        return endpoint;
    }

    /** The endpoint whose consumer uses the pipelining buffer. */
    static final class PipeliningEndpoint extends MllpEndpoint {
        PipeliningEndpoint(String uri, MllpComponent component, MllpConfiguration configuration) {
            super(uri, component, configuration);
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            Consumer consumer = new PipeliningConsumer(this, processor);
            configureConsumer(consumer);
            return consumer;
        }
    }

    /** Hands every accepted connection a pipelining buffer holding what was read so far. */
    static final class PipeliningConsumer extends MllpTcpServerConsumer {
        PipeliningConsumer(MllpEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        public void startConsumer(Socket clientSocket, MllpSocketBuffer mllpBuffer) {
            PipeliningMllpSocketBuffer pipelining = new PipeliningMllpSocketBuffer(getEndpoint());
            if (mllpBuffer != null && !mllpBuffer.isEmpty()) {
                pipelining.write(mllpBuffer.toByteArray());
            }
            super.startConsumer(clientSocket, pipelining);
        }
    }
}

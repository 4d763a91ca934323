package io.hookrail.ingest;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Session;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.StartupListener;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.health.HealthCheckRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the webhook gateway only once every flow's queue exists on the broker. A Virtual Topic copies a message only
 * to the consumer queues that exist when it arrives: an event accepted before its flow's queue was there would never
 * reach that flow.
 */
final class GatewayOpening implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayOpening.class);
    static final String ROUTE_ID = "webhook-ingest";

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        // not ready until the gateway is open
        HealthCheckRegistry.get(context).register(new GatewayHealthCheck());
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // nothing yet: the flows' consumers are started, see below
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        ConnectionFactory connectionFactory = context.getRegistry()
                .lookupByNameAndType("jmsConnectionFactory", ConnectionFactory.class);
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (Endpoint endpoint : context.getEndpoints()) {
                if (endpoint instanceof JmsEndpoint jms && !jms.isPubSubDomain()
                        && jms.getDestinationName().startsWith("Consumer.")) {
                    // creating a consumer creates the queue; it is closed at once
                    session.createConsumer(session.createQueue(jms.getDestinationName())).close();
                    LOG.debug("Flow queue {} is ready", jms.getDestinationName());
                }
            }
        }
        context.getRouteController().startRoute(ROUTE_ID);
    }
}

package io.hookrail.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.List;
import java.util.Set;

import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.broker.ProducerBrokerExchange;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTopic;
import org.apache.activemq.command.ConnectionInfo;
import org.apache.activemq.command.ConsumerInfo;
import org.apache.activemq.command.Message;
import org.apache.activemq.command.ProducerInfo;
import org.apache.activemq.filter.DestinationFilter;
import org.apache.activemq.security.SecurityContext;

/**
 * Who may use the embedded broker, as an ActiveMQ broker plugin: every connection authenticates, Hookrail's own with
 * its per-start password (everything), the TCP connector's one client user with its configured password (only the
 * flows' queues, the dead-letter queues, the event topics and ActiveMQ's advisories). ActiveMQ's own
 * {@code SimpleAuthenticationPlugin} needs {@code activemq-jaas}, which the registry here does not serve for 6.2.0.
 */
final class BrokerAccess implements BrokerPlugin {

    private static final List<DestinationFilter> CLIENT_DESTINATIONS = List.of(
            DestinationFilter.parseFilter(new ActiveMQQueue("Consumer.>")),
            DestinationFilter.parseFilter(new ActiveMQQueue("DLQ.>")),
            DestinationFilter.parseFilter(new ActiveMQTopic("VirtualTopic.>")),
            DestinationFilter.parseFilter(new ActiveMQTopic("ActiveMQ.Advisory.>")));

    private final String internalPassword;
    private final EmbeddedBroker.TcpClient client;

    BrokerAccess(String internalPassword, EmbeddedBroker.TcpClient client) {
        this.internalPassword = internalPassword;
        this.client = client;
    }

    @Override
    public Broker installPlugin(Broker broker) {
        return new BrokerFilter(broker) {
            @Override
            public void addConnection(ConnectionContext context, ConnectionInfo info) throws Exception {
                context.setSecurityContext(authenticate(info.getUserName(), info.getPassword()));
                super.addConnection(context, info);
            }

            @Override
            public Destination addDestination(ConnectionContext context, ActiveMQDestination destination,
                                              boolean create) throws Exception {
                authorize(context, destination);
                return super.addDestination(context, destination, create);
            }

            @Override
            public org.apache.activemq.broker.region.Subscription addConsumer(ConnectionContext context,
                                                                            ConsumerInfo info) throws Exception {
                authorize(context, info.getDestination());
                return super.addConsumer(context, info);
            }

            @Override
            public void addProducer(ConnectionContext context, ProducerInfo info) throws Exception {
                if (info.getDestination() != null) {
                    authorize(context, info.getDestination());
                }
                super.addProducer(context, info);
            }

            @Override
            public void send(ProducerBrokerExchange exchange, Message message) throws Exception {
                authorize(exchange.getConnectionContext(), message.getDestination());
                super.send(exchange, message);
            }
        };
    }

    private Access authenticate(String user, String password) {
        if (EmbeddedBroker.INTERNAL_USER.equals(user) && same(internalPassword, password)) {
            return new Access(user, true);
        }
        if (client != null && client.username().equals(user) && same(client.password(), password)) {
            return new Access(user, false);
        }
        throw new SecurityException("User name [" + user + "] or password is invalid.");
    }

    private static void authorize(ConnectionContext context, ActiveMQDestination destination) {
        SecurityContext security = context == null ? null : context.getSecurityContext();
        if (security == null || security.isBrokerContext() || destination == null || destination.isTemporary()
                || security instanceof Access access && access.internal) {
            return;
        }
        if (CLIENT_DESTINATIONS.stream().noneMatch(filter -> filter.matches(destination))) {
            throw new SecurityException("User " + security.getUserName() + " is not authorized to use "
                    + destination.getQualifiedName());
        }
    }

    private static boolean same(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    /** An authenticated connection, and whether it is Hookrail's own. */
    private static final class Access extends SecurityContext {
        private final boolean internal;

        Access(String user, boolean internal) {
            super(user);
            this.internal = internal;
        }

        @Override
        public Set<Principal> getPrincipals() {
            return Set.of();
        }
    }
}

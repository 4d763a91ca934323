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
import org.apache.activemq.command.DestinationInfo;
import org.apache.activemq.command.Message;
import org.apache.activemq.command.ProducerInfo;
import org.apache.activemq.filter.DestinationFilter;
import org.apache.activemq.security.SecurityContext;

/**
 * Who may use the embedded broker, as an ActiveMQ broker plugin: every connection authenticates, Hookrail's own with
 * its per-start password (everything); the TCP connector's client user with its configured password (only the flows'
 * queues, the dead-letter queues, the event topics and ActiveMQ's advisories); and, when configured, its monitor user,
 * read-only (browse the dead-letter queues, read the advisories; no producer anywhere, no consumer of a flow queue).
 * No user but Hookrail's own may remove a destination (with the messages on it).
 * <p>
 * ActiveMQ's own {@code SimpleAuthenticationPlugin} and {@code AuthorizationPlugin} need {@code activemq-jaas} (their
 * roles are its {@code GroupPrincipal}), which the registry here does not serve for 6.2.0; and their {@code read}
 * permission lets a consumer take dead letters off a queue as well as browse them, so it could not make the monitor
 * read-only anyway.
 */
final class BrokerAccess implements BrokerPlugin {

    private static final List<DestinationFilter> CLIENT_DESTINATIONS = List.of(
            DestinationFilter.parseFilter(new ActiveMQQueue("Consumer.>")),
            DestinationFilter.parseFilter(new ActiveMQQueue("DLQ.>")),
            DestinationFilter.parseFilter(new ActiveMQTopic("VirtualTopic.>")),
            DestinationFilter.parseFilter(new ActiveMQTopic("ActiveMQ.Advisory.>")));
    /** What the monitor may browse. */
    private static final DestinationFilter MONITOR_BROWSED = DestinationFilter.parseFilter(new ActiveMQQueue("DLQ.>"));
    /** What the monitor may consume: ActiveMQ's advisory topics (a broker's events; every client reads some). */
    private static final DestinationFilter MONITOR_READ = DestinationFilter.parseFilter(
            new ActiveMQTopic("ActiveMQ.Advisory.>"));

    /** What an authenticated connection may do. */
    enum Role { INTERNAL, CLIENT, MONITOR }

    private final String internalPassword;
    private final EmbeddedBroker.TcpClient client;
    private final EmbeddedBroker.TcpClient monitor;

    BrokerAccess(String internalPassword, EmbeddedBroker.TcpClient client, EmbeddedBroker.TcpClient monitor) {
        this.internalPassword = internalPassword;
        this.client = client;
        this.monitor = monitor;
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
                authorize(context, destination, Operation.USE);
                return super.addDestination(context, destination, create);
            }

            @Override
            public void removeDestination(ConnectionContext context, ActiveMQDestination destination, long timeout)
                    throws Exception {
                authorize(context, destination, Operation.REMOVE);
                super.removeDestination(context, destination, timeout);
            }

            @Override
            public void removeDestinationInfo(ConnectionContext context, DestinationInfo info) throws Exception {
                authorize(context, info.getDestination(), Operation.REMOVE);
                super.removeDestinationInfo(context, info);
            }

            @Override
            public org.apache.activemq.broker.region.Subscription addConsumer(ConnectionContext context,
                                                                            ConsumerInfo info) throws Exception {
                authorize(context, info.getDestination(), info.isBrowser() ? Operation.BROWSE : Operation.CONSUME);
                return super.addConsumer(context, info);
            }

            @Override
            public void addProducer(ConnectionContext context, ProducerInfo info) throws Exception {
                if (info.getDestination() != null) {
                    authorize(context, info.getDestination(), Operation.PRODUCE);
                }
                super.addProducer(context, info);
            }

            @Override
            public void send(ProducerBrokerExchange exchange, Message message) throws Exception {
                authorize(exchange.getConnectionContext(), message.getDestination(), Operation.PRODUCE);
                super.send(exchange, message);
            }
        };
    }

    private enum Operation { USE, BROWSE, CONSUME, PRODUCE, REMOVE }

    private Access authenticate(String user, String password) {
        if (EmbeddedBroker.INTERNAL_USER.equals(user) && same(internalPassword, password)) {
            return new Access(user, Role.INTERNAL);
        }
        if (client != null && client.username().equals(user) && same(client.password(), password)) {
            return new Access(user, Role.CLIENT);
        }
        if (monitor != null && monitor.username().equals(user) && same(monitor.password(), password)) {
            return new Access(user, Role.MONITOR);
        }
        throw new SecurityException("User name [" + user + "] or password is invalid.");
    }

    private static void authorize(ConnectionContext context, ActiveMQDestination destination, Operation operation) {
        SecurityContext security = context == null ? null : context.getSecurityContext();
        if (security == null || security.isBrokerContext() || destination == null
                || security instanceof Access access && access.role == Role.INTERNAL) {
            return;
        }
        Role role = security instanceof Access access ? access.role : Role.CLIENT;
        if (!allowed(role, destination, operation)) {
            throw new SecurityException("User " + security.getUserName() + " is not authorized to "
                    + operation.name().toLowerCase(java.util.Locale.ROOT) + " " + destination.getQualifiedName());
        }
    }

    private static boolean allowed(Role role, ActiveMQDestination destination, Operation operation) {
        if (role == Role.MONITOR) {
            return switch (operation) {
                case BROWSE -> MONITOR_BROWSED.matches(destination);
                case CONSUME -> MONITOR_READ.matches(destination) || destination.isTemporary();
                case USE -> MONITOR_BROWSED.matches(destination) || MONITOR_READ.matches(destination)
                        || destination.isTemporary();
                case PRODUCE, REMOVE -> false;
            };
        }
        if (destination.isTemporary()) {
            return true; // a client's own temporary destinations (request/reply)
        }
        return operation != Operation.REMOVE && CLIENT_DESTINATIONS.stream().anyMatch(filter -> filter.matches(destination));
    }

    private static boolean same(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    /** An authenticated connection, and what it may do. */
    private static final class Access extends SecurityContext {
        private final Role role;

        Access(String user, Role role) {
            super(user);
            this.role = role;
        }

        @Override
        public Set<Principal> getPrincipals() {
            return Set.of();
        }
    }
}

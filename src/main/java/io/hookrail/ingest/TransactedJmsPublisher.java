package io.hookrail.ingest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import io.hookrail.broker.EventRequester;
import io.hookrail.broker.EventSeal;
import io.hookrail.broker.EventTopics;
import org.apache.activemq.ActiveMQConnection;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a batch of events in one transacted JMS session, committed once: the broker syncs its store once per
 * batch instead of once per event. Each message is what the {@code jms} component sent per event before: a persistent
 * text message on the event type's Virtual Topic with the {@link EventTopics} properties, sealed for the verified
 * source ({@link EventSeal}), in the message group of its business id ({@code JMSXGroupID}), and, when tracing is on,
 * with the W3C trace context of the delivery that admitted it.
 * <p>
 * Used by the group commit's one writer thread only: the connection, its session and its producer are that thread's,
 * opened on the first batch and opened again after a failure (the broker discards a transaction whose session is gone).
 * The connection is the broker's own, not one of the pool's, and has no send timeout: with one, ActiveMQ makes every
 * send a synchronous round trip even inside a transaction. The sends of a batch are then streamed to the broker and
 * only the commit waits for its answer, once its store has synced.
 */
final class TransactedJmsPublisher implements EventPublisher, AutoCloseable {

    /** The JMS message group property: ActiveMQ hands one group's messages to one consumer at a time, in order. */
    static final String GROUP_ID = "JMSXGroupID";
    /** How Camel's tracer spells a dash in a JMS property name ({@code CamelJMSHeadersSpanContextPropagationInjector}). */
    private static final String JMS_DASH = "__dash__";

    private static final Logger LOG = LoggerFactory.getLogger(TransactedJmsPublisher.class);

    private final ConnectionFactory connectionFactory;
    private final EventSeal seal;
    private Connection connection;
    private Session session;
    private MessageProducer producer;
    private final Map<String, Topic> topics = new HashMap<>();

    TransactedJmsPublisher(ConnectionFactory connectionFactory, EventSeal seal) {
        this.connectionFactory = connectionFactory instanceof JmsPoolConnectionFactory pool
                && pool.getConnectionFactory() instanceof ConnectionFactory broker ? broker : connectionFactory;
        this.seal = seal;
    }

    @Override
    public void publish(List<OutgoingEvent> events) throws JMSException {
        try {
            open();
            for (OutgoingEvent outgoing : events) {
                CloudEvent event = outgoing.event();
                TextMessage message = session.createTextMessage(event.json());
                message.setStringProperty(EventTopics.EVENT_ID_HEADER, event.id());
                message.setStringProperty(EventTopics.EVENT_TYPE_HEADER, event.type());
                message.setStringProperty(EventTopics.EVENT_SOURCE_HEADER, event.source());
                message.setStringProperty(EventTopics.CORRELATION_ID_HEADER, event.correlationId());
                if (outgoing.groupId() != null) {
                    message.setStringProperty(GROUP_ID, outgoing.groupId());
                }
                // traceparent/tracestate: the flow's JMS consumer span continues the webhook's trace (the seal does
                // not cover them); a dash is spelt as Camel's tracer reads it back, JMS names being identifiers
                for (Map.Entry<String, String> entry : outgoing.traceContext().entrySet()) {
                    message.setStringProperty(entry.getKey().replace("-", JMS_DASH), entry.getValue());
                }
                // the source whose signature the gateway verified: the seal vouches for it
                seal.seal(message, EventRequester.source(event.source()));
                producer.send(topic(event.type()), message, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY,
                        Message.DEFAULT_TIME_TO_LIVE);
            }
            session.commit();
        } catch (JMSException | RuntimeException e) {
            close(); // the uncommitted sends go with the session
            throw e;
        }
    }

    private void open() throws JMSException {
        if (session == null) {
            connection = connectionFactory.createConnection();
            if (connection instanceof ActiveMQConnection activeMq) {
                activeMq.setSendTimeout(0);
            }
            session = connection.createSession(true, Session.SESSION_TRANSACTED);
            producer = session.createProducer(null); // one producer for every event type's topic
        }
    }

    private Topic topic(String eventType) throws JMSException {
        Topic topic = topics.get(eventType);
        if (topic == null) {
            topic = session.createTopic(EventTopics.topic(eventType));
            topics.put(eventType, topic);
        }
        return topic;
    }

    /** Closes the session and gives the connection back to the pool; the next batch opens them again. */
    @Override
    public void close() {
        topics.clear();
        producer = null;
        Session openSession = session;
        session = null;
        Connection openConnection = connection;
        connection = null;
        try {
            if (openSession != null) {
                openSession.close(); // rolls back what was not committed
            }
        } catch (JMSException | RuntimeException e) {
            LOG.debug("Closing the ingest JMS session failed: {}", e.getMessage());
        }
        try {
            if (openConnection != null) {
                openConnection.close();
            }
        } catch (JMSException | RuntimeException e) {
            LOG.debug("Closing the ingest JMS connection failed: {}", e.getMessage());
        }
    }
}

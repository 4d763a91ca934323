package io.hookrail.support;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import io.hookrail.broker.EventTopics;
import org.apache.activemq.ActiveMQConnectionFactory;

/**
 * A real JMS consumer on a flow queue of an event type's Virtual Topic, subscribed before events are sent so the
 * broker keeps them for it.
 */
public final class EventQueue implements AutoCloseable {

    private final Connection connection;
    private final Session session;
    private final MessageConsumer consumer;

    public EventQueue(String brokerUrl, String flow, String eventType) {
        try {
            connection = new ActiveMQConnectionFactory(brokerUrl).createConnection();
            connection.start();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            consumer = session.createConsumer(session.createQueue(EventTopics.flowQueue(flow, eventType)));
        } catch (JMSException e) {
            throw new IllegalStateException("cannot subscribe to " + eventType, e);
        }
    }

    /** The next message, or null after the timeout. */
    public TextMessage receive(long timeoutMillis) throws JMSException {
        Message message = consumer.receive(timeoutMillis);
        return (TextMessage) message;
    }

    /** Every message that arrives until the queue stays quiet for the given time. */
    public List<TextMessage> drain(long quietMillis) throws JMSException {
        List<TextMessage> messages = new ArrayList<>();
        for (TextMessage m = receive(quietMillis); m != null; m = receive(quietMillis)) {
            messages.add(m);
        }
        return messages;
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}

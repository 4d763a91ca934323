package io.hookrail.broker;

import java.net.ConnectException;
import java.net.Socket;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;

import io.hookrail.support.HookrailInstance;
import io.hookrail.support.TestDatabase;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The embedded broker opens no TCP connector unless asked; when it does, only its configured user gets in, and only
 * to the flows' queues, the dead-letter queues and the event topics.
 */
class EmbeddedBrokerAccessTest {

    @Test
    void byDefaultNothingListensOnTheBrokerPort() throws Exception {
        try (TestDatabase database = TestDatabase.embeddedDefault();
             HookrailInstance hookrail = HookrailInstance.builder().database(database)
                     .property("hookrail.broker.tcp.enabled", "false").start()) {
            int port = Integer.parseInt(hookrail.brokerUrl().replaceAll(".*:(\\d+)\\?.*", "$1"));
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        }
    }

    @Test
    void theConnectorLetsInItsOneUserToTheFlowsDestinationsOnly() throws Exception {
        try (TestDatabase database = TestDatabase.embeddedDefault();
             HookrailInstance hookrail = HookrailInstance.builder().database(database).start()) {
            String plain = hookrail.brokerUrl().substring(0, hookrail.brokerUrl().indexOf('?'));

            assertThrows(JMSSecurityException.class, () -> connect(new ActiveMQConnectionFactory(plain)));
            assertThrows(JMSSecurityException.class, () -> connect(
                    new ActiveMQConnectionFactory(HookrailInstance.BROKER_USER, "wrong-password", plain)));
            assertThrows(JMSSecurityException.class, () -> connect(
                    new ActiveMQConnectionFactory(EmbeddedBroker.INTERNAL_USER, "guess", plain)));

            try (Connection connection = connect(new ActiveMQConnectionFactory(hookrail.brokerUrl()))) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                assertNotNull(session.createConsumer(session.createQueue("Consumer.order-fulfilment.VirtualTopic.order.placed")));
                assertNotNull(session.createProducer(session.createQueue("DLQ.order-fulfilment")));
                // anything else of the broker is not the client's
                assertThrows(JMSSecurityException.class,
                        () -> session.createProducer(session.createQueue("ActiveMQ.DLQ")).send(session.createTextMessage("x")));
                assertThrows(JMSSecurityException.class,
                        () -> session.createConsumer(session.createQueue("Elsewhere.queue")));
            }
        }
    }

    private static Connection connect(ActiveMQConnectionFactory factory) throws JMSException {
        Connection connection = factory.createConnection();
        try {
            connection.start();
            return connection;
        } catch (JMSException e) {
            connection.close();
            throw e;
        }
    }
}

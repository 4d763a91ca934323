package io.hookrail.broker;

import java.net.ConnectException;
import java.net.Socket;
import java.util.Enumeration;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import io.hookrail.support.HookrailInstance;
import io.hookrail.support.TestDatabase;
import org.apache.activemq.ActiveMQConnection;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.command.ActiveMQQueue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded broker opens no TCP connector unless asked; when it does, only its configured users get in: the client
 * only to the flows' queues, the dead-letter queues and the event topics, the monitor only to browse the dead-letter
 * queues and read the advisories; neither may remove a queue.
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

    @Test
    void noConnectorUserMayRemoveAQueueWithItsMessages() throws Exception {
        try (TestDatabase database = TestDatabase.embeddedDefault();
             HookrailInstance hookrail = HookrailInstance.builder().database(database).start();
             ActiveMQConnection connection = (ActiveMQConnection) connect(
                     new ActiveMQConnectionFactory(hookrail.brokerUrl()))) {
            JMSSecurityException refused = assertThrows(JMSSecurityException.class, () -> connection.destroyDestination(
                    new ActiveMQQueue("Consumer.order-fulfilment.VirtualTopic.order.placed")));
            assertTrue(refused.getMessage().contains("not authorized to remove"), refused.getMessage());
        }
    }

    @Test
    void theMonitorUserMayOnlyBrowseTheDeadLetterQueuesAndReadAdvisories() throws Exception {
        try (TestDatabase database = TestDatabase.embeddedDefault();
             HookrailInstance hookrail = HookrailInstance.builder().database(database)
                     .property("hookrail.broker.tcp.monitor.username", MONITOR)
                     .property("hookrail.broker.tcp.monitor.password", MONITOR_PASSWORD).start()) {
            String plain = hookrail.brokerUrl().substring(0, hookrail.brokerUrl().indexOf('?'));
            assertThrows(JMSSecurityException.class, () -> connect(
                    new ActiveMQConnectionFactory(MONITOR, "wrong-password", plain)));

            // a dead letter to browse, put there by the client user
            try (Connection client = connect(new ActiveMQConnectionFactory(hookrail.brokerUrl()))) {
                Session session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createProducer(session.createQueue("DLQ.order-fulfilment"))
                        .send(session.createTextMessage("a dead letter"));
            }
            try (Connection connection = connect(new ActiveMQConnectionFactory(MONITOR, MONITOR_PASSWORD, plain))) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Queue deadLetters = session.createQueue("DLQ.order-fulfilment");
                Enumeration<?> browsed = session.createBrowser(deadLetters).getEnumeration();
                assertTrue(browsed.hasMoreElements(), "the monitor browses the dead letters");
                assertEquals("a dead letter", ((TextMessage) browsed.nextElement()).getText());
                assertNotNull(session.createConsumer(session.createTopic("ActiveMQ.Advisory.Queue")));

                Queue flowQueue = session.createQueue("Consumer.order-fulfilment.VirtualTopic.order.placed");
                // it takes nothing away: no consumer of a dead-letter queue, nor of a flow queue
                assertRefused(() -> session.createConsumer(deadLetters), "consume queue://DLQ.order-fulfilment");
                assertRefused(() -> session.createConsumer(flowQueue), "consume queue://Consumer.order-fulfilment");
                assertRefused(() -> session.createBrowser(flowQueue).getEnumeration(),
                        "browse queue://Consumer.order-fulfilment");
                // and puts nothing anywhere
                assertRefused(() -> session.createProducer(flowQueue).send(session.createTextMessage("x")),
                        "produce queue://Consumer.order-fulfilment");
                assertRefused(() -> session.createProducer(deadLetters).send(session.createTextMessage("x")),
                        "produce queue://DLQ.order-fulfilment");
                assertRefused(() -> session.createProducer(session.createTopic("VirtualTopic.order.placed"))
                        .send(session.createTextMessage("x")), "produce topic://VirtualTopic.order.placed");
                assertRefused(() -> ((ActiveMQConnection) connection).destroyDestination(
                        (ActiveMQQueue) deadLetters), "remove queue://DLQ.order-fulfilment");
            }
            // the dead letter is still there, for the client (and Hookrail) to take
            try (Connection client = connect(new ActiveMQConnectionFactory(hookrail.brokerUrl()))) {
                Session session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
                TextMessage letter = (TextMessage) session.createConsumer(session.createQueue("DLQ.order-fulfilment"))
                        .receive(10_000);
                assertNotNull(letter, "the monitor took the dead letter away");
                assertEquals("a dead letter", letter.getText());
            }
        }
    }

    static final String MONITOR = "test-monitor";
    static final String MONITOR_PASSWORD = "test-monitor-password-7d0c3b9e51a24f68";

    interface JmsCall {
        void run() throws Exception;
    }

    private static void assertRefused(JmsCall call, String what) {
        JMSSecurityException refused = assertThrows(JMSSecurityException.class, call::run, what);
        assertTrue(refused.getMessage().contains("is not authorized to " + what), refused.getMessage());
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

package io.hookrail.broker;

import java.nio.file.Path;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import io.hookrail.support.ActiveMqPair;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/activemq/activemq.xml as the compose file runs it, twice on one KahaDB directory: a persistent message sent
 * through Hookrail's failover URL survives SIGKILL of the master and is received from the slave that took over; the
 * slave takes no connections before that; Hookrail's user is authenticated and limited to Hookrail's destinations.
 */
class ActiveMqPairTest {

    private static final String QUEUE = "Consumer.order-fulfilment.VirtualTopic.order.placed";

    @TempDir
    static Path dir;
    /** One pair for both tests (two broker JVMs each cost seconds); the failover test kills only its master. */
    private static ActiveMqPair pair;

    @BeforeAll
    static void startPair() throws Exception {
        pair = new ActiveMqPair(dir);
    }

    @AfterAll
    static void stopPair() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void aPersistentMessageSurvivesTheMastersDeathAndComesFromTheSlave() throws Exception {
        int master = pair.awaitMaster();
        int slave = pair.ports().stream().filter(port -> port != master).findFirst().orElseThrow();
        // the slave waits on KahaDB's lock with its connector closed
        assertFalse(ActiveMqPair.accepts(slave), "the slave accepted a connection while the master held the lock");

        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(pair.failoverUrl());
        factory.setUserName(pair.username());
        factory.setPassword(pair.password());
        try (Connection sender = factory.createConnection()) {
            Session session = sender.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(session.createTextMessage("evt_1"));
        }

        assertEquals(master, pair.killMaster());
        assertEquals(slave, pair.awaitMaster(), "the slave did not take over");

        try (Connection receiver = factory.createConnection()) {
            receiver.start();
            Session session = receiver.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
            TextMessage received = (TextMessage) consumer.receive(10_000);
            assertNotNull(received, "the persistent message was lost with the master");
            assertEquals("evt_1", received.getText());
        }
    }

    @Test
    void onlyHookrailsUserGetsInAndOnlyToHookrailsDestinations() throws Exception {
        String direct = "tcp://127.0.0.1:" + pair.awaitMaster();
        ActiveMQConnectionFactory stranger = new ActiveMQConnectionFactory("someone", "guess", direct);
        assertThrows(jakarta.jms.JMSSecurityException.class, () -> stranger.createConnection().start());

        ActiveMQConnectionFactory hookrail = new ActiveMQConnectionFactory(pair.username(), pair.password(), direct);
        try (Connection connection = hookrail.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // the event topics, the dead-letter queues (browsed all at once) and temporary queues
            session.createProducer(session.createTopic("VirtualTopic.lead.qualified"))
                    .send(session.createTextMessage("evt_2"));
            session.createProducer(session.createQueue("DLQ.order-fulfilment")).send(session.createTextMessage("x"));
            assertTrue(session.createBrowser(session.createQueue("DLQ.>")).getEnumeration().hasMoreElements());
            assertNotNull(session.createConsumer(session.createTemporaryQueue()));
            // anything else is refused
            assertThrows(jakarta.jms.JMSSecurityException.class,
                    () -> session.createProducer(session.createQueue("orders")));
        }
    }
}

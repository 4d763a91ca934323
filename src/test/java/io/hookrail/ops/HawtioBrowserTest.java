package io.hookrail.ops;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import io.hookrail.dlq.DeadLetters;
import io.hookrail.ops.jolokia.JolokiaPolicy;
import io.hookrail.support.HeadlessChromium;
import io.hookrail.support.HookrailInstance;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.logging.LogEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hawtio, started by {@link HawtioConsole} as the operator's command does, connected to a real Hookrail's Jolokia
 * (through its access policy), in headless Chromium: the Camel plugin shows the flows' routes, the JMX tree the
 * broker's dead-letter queues. Skipped where Chromium is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HawtioBrowserTest {

    static final String DEAD_LETTER_QUEUE = DeadLetters.queue("order-fulfilment");

    HookrailInstance hookrail;
    HawtioConsole hawtio;
    HeadlessChromium chromium;
    HawtioPage page;

    @BeforeAll
    void start() throws Exception {
        if (!HeadlessChromium.installed()) {
            return; // each test is then skipped, and counted as skipped, in openHawtio
        }
        int hawtioPort = AvailablePortFinder.getNextAvailable();
        // Jolokia answers Hawtio's exact origin only: this console's
        hookrail = HookrailInstance.builder()
                .property(JolokiaPolicy.ORIGIN_KEY, "http://127.0.0.1:" + hawtioPort)
                .start();
        putDeadLetter();
        hawtio = HawtioConsole.start(war(), hawtioPort, URI.create(hookrail.managementUrl() + "/observe/jolokia"));
        chromium = HeadlessChromium.start();
        page = new HawtioPage(chromium.driver());
    }

    @AfterAll
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (hawtio != null) {
            hawtio.close();
        }
        if (hookrail != null) {
            hookrail.close();
        }
    }

    @BeforeEach
    void openHawtio() {
        HeadlessChromium.assumeInstalled();
        page.open(hawtio.url());
        assertEquals(HawtioConsole.CONNECTION, page.connectionName(), "Hawtio is connected to Hookrail");
    }

    @AfterEach
    void consoleShowsNoErrors() {
        if (chromium == null) {
            return;
        }
        // a request Hookrail's Jolokia policy refused, or a failed tree listing, is logged as an error by Hawtio
        List<String> severe = chromium.consoleMessages().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
        assertEquals(List.of(), severe, "browser console errors");
    }

    @Test
    void theCamelPluginShowsTheOrderFulfilmentRouteAndItsDiagram() throws Exception {
        page.openPlugin("Camel");
        page.select("order-fulfilment", "order-fulfilment");
        page.awaitDetails("org.apache.camel:context=hookrail,type=routes,name=\"order-fulfilment\"");
        assertEquals("Started", page.attribute("State"));
        String consumes = page.attribute("EndpointUri");
        assertTrue(consumes.contains("Consumer.order-fulfilment.VirtualTopic.order.placed"), consumes);
        page.screenshot("hawtio-camel-order-fulfilment");

        // the diagram is drawn from dumpRouteAsXml and dumpRouteStatsAsXml: operations Hookrail's policy allows
        page.openTab("Route Diagram");
        assertTrue(page.awaitElements(".react-flow__node-camel", 10) > 10, "the diagram has the route's steps");
        page.screenshot("hawtio-camel-order-fulfilment-diagram");
    }

    @Test
    void theJmxTreeShowsTheBrokersDeadLetterQueueAndItsDepth() throws Exception {
        page.openPlugin("JMX");
        page.select(DEAD_LETTER_QUEUE, DEAD_LETTER_QUEUE);
        page.awaitDetails("destinationName=" + DEAD_LETTER_QUEUE);
        assertEquals("1", page.attribute("QueueSize"));
        page.screenshot("hawtio-jmx-dlq");
    }

    @Test
    void theJmxTreeShowsHookrailsDeadLetterMBeanWithTheDepthPerFlow() throws Exception {
        page.openPlugin("JMX");
        page.select("DeadLetterQueues", "DeadLetterQueues");
        page.awaitDetails("name=DeadLetterQueues");
        assertEquals("1", page.attribute("TotalDepth"));
        String depths = page.attribute("DepthByFlow");
        assertTrue(depths.contains("order-fulfilment") && depths.contains("refund"), depths);
        page.screenshot("hawtio-jmx-hookrail-dead-letters");
    }

    /** A dead letter on DLQ.order-fulfilment (the queue is created by it), as the flow's dead letter channel leaves one. */
    void putDeadLetter() throws Exception {
        try (Connection connection = new ActiveMQConnectionFactory(hookrail.brokerUrl()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage message = session.createTextMessage("{\"specversion\":\"1.0\",\"id\":\"evt-hawtio\"}");
            message.setStringProperty(DeadLetters.FLOW, "order-fulfilment");
            message.setStringProperty(DeadLetters.ERROR, "payments answered 503");
            try (MessageProducer producer = session.createProducer(session.createQueue(DEAD_LETTER_QUEUE))) {
                producer.send(message);
            }
        }
    }

    /** The hawtio-war file, which Maven names in this property (see the pom's maven-dependency-plugin). */
    static Path war() {
        String war = System.getProperty("hookrail.hawtio.war");
        if (war == null || war.isBlank() || war.startsWith("${")) {
            throw new IllegalStateException("Run this test with Maven, which sets hookrail.hawtio.war to the war's path");
        }
        return Path.of(war);
    }
}

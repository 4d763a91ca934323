package io.hookrail.support;

import org.apache.activemq.broker.BrokerFactory;
import org.apache.activemq.broker.BrokerService;

/**
 * One broker of {@link ActiveMqPair}, in a JVM of its own: loads {@code docker/activemq/activemq.xml} as ActiveMQ's
 * {@code bin/activemq} does, with the port, data directories and credentials as system properties, and runs until
 * the process is killed. A slave blocks inside {@code start()} on KahaDB's lock, with no connector open.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        String config = args.length > 0 ? args[0] : "docker/activemq/activemq.xml";
        BrokerService broker = BrokerFactory.createBroker("xbean:file:" + config, false);
        broker.start();
        System.out.println("BROKER STARTED " + broker.getBrokerName());
        broker.waitUntilStopped();
    }
}

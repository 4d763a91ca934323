package io.hookrail.support;

import java.nio.file.Path;

import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.camel.test.AvailablePortFinder;

/** An ActiveMQ broker of the test's own, so a test can stop it under Hookrail and start it again. */
public final class StandaloneBroker implements AutoCloseable {

    private final int port = AvailablePortFinder.getNextAvailable();
    private final Path dataDir;
    private BrokerService broker;

    public StandaloneBroker(Path dataDir) {
        this.dataDir = dataDir;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public StandaloneBroker start() throws Exception {
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(dataDir.resolve("kahadb").toFile());
        broker = new BrokerService();
        broker.setBrokerName("standalone-" + port);
        broker.setDataDirectoryFile(dataDir.toFile());
        broker.setPersistenceAdapter(kahaDb);
        broker.setUseJmx(false);
        broker.setUseShutdownHook(false);
        broker.addConnector(url());
        broker.start();
        broker.waitUntilStarted();
        return this;
    }

    public void stop() throws Exception {
        if (broker != null) {
            broker.stop();
            broker.waitUntilStopped();
            broker = null;
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}

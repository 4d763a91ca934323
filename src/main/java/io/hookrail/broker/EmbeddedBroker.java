package io.hookrail.broker;

import java.nio.file.Path;

import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The in-process ActiveMQ Classic broker of the default profile: persistent on KahaDB, OpenWire on loopback only.
 * <p>
 * It is a Camel service so that Camel starts it before any route and stops it after the last route has drained.
 */
public final class EmbeddedBroker extends ServiceSupport {

    private final Path dataDirectory;
    private final int port;
    private BrokerService broker;

    public EmbeddedBroker(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** The name clients use with the {@code vm://} transport; unique per port so two instances can share a JVM. */
    public String brokerName() {
        return "hookrail-" + port;
    }

    /**
     * A {@code vm://} URL to this broker that never creates a throwaway broker of its own, and waits for this one
     * to finish starting (a connection attempted mid-start, e.g. by an early readiness probe, breaks the VM transport
     * for good).
     */
    public String clientUrl() {
        return "vm://" + brokerName() + "?create=false&waitForStart=30000";
    }

    public boolean isHealthy() {
        return broker != null && broker.isStarted() && !broker.isStopping();
    }

    @Override
    protected void doStart() throws Exception {
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(dataDirectory.resolve("kahadb").toFile());

        broker = new BrokerService();
        broker.setBrokerName(brokerName());
        broker.setDataDirectoryFile(dataDirectory.toFile());
        broker.setPersistenceAdapter(kahaDb);
        broker.setPersistent(true);
        // Camel owns the lifecycle: no JVM hook that could stop the broker under in-flight routes
        broker.setUseShutdownHook(false);
        // JMX on the platform MBean server (Hawtio reads it through Jolokia), no RMI connector of its own
        broker.setUseJmx(true);
        broker.getManagementContext().setCreateConnector(false);
        broker.addConnector("tcp://127.0.0.1:" + port);
        broker.start();
        broker.waitUntilStarted();
    }

    @Override
    protected void doStop() throws Exception {
        if (broker != null) {
            broker.stop();
            broker.waitUntilStopped();
            broker = null;
        }
    }
}

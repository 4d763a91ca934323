package io.hookrail.broker;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The in-process ActiveMQ Classic broker of the default profile: persistent on KahaDB, reached by Hookrail over
 * {@code vm://}. Every connection authenticates: Hookrail's own with a
 * password made at each start, which never leaves the process. An OpenWire connector on loopback opens only when
 * asked for ({@code hookrail.broker.tcp.enabled}), for one configured client user, who may use only the flows'
 * queues ({@code Consumer.>}), the dead-letter queues ({@code DLQ.>}), the event topics ({@code VirtualTopic.>}) and
 * ActiveMQ's advisories, and an optional read-only monitor user, who may only browse the dead-letter queues and read
 * the advisories ({@link BrokerAccess}).
 * <p>
 * It is a Camel service so that Camel starts it before any route and stops it after the last route has drained.
 */
public final class EmbeddedBroker extends ServiceSupport {

    /** Hookrail's own user on its broker. */
    public static final String INTERNAL_USER = "hookrail";

    /** A user of the TCP connector: the client, or the monitor. */
    public record TcpClient(String username, String password) {
    }

    private final Path dataDirectory;
    private final int port;
    private final TcpClient tcpClient;
    private final TcpClient tcpMonitor;
    private final String internalPassword;
    private BrokerService broker;

    /**
     * @param tcpClient the user of an OpenWire connector on {@code 127.0.0.1:port}, or null for no connector
     * @param tcpMonitor the connector's read-only user, or null for none
     */
    public EmbeddedBroker(Path dataDirectory, int port, TcpClient tcpClient, TcpClient tcpMonitor) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.tcpClient = tcpClient;
        this.tcpMonitor = tcpMonitor;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.internalPassword = Base64.getEncoder().encodeToString(secret);
    }

    /** The password of {@link #INTERNAL_USER}, valid until this broker stops. */
    public String internalPassword() {
        return internalPassword;
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
        broker.setPlugins(new BrokerPlugin[] {new BrokerAccess(internalPassword, tcpClient, tcpMonitor)});
        if (tcpClient != null) {
            broker.addConnector("tcp://127.0.0.1:" + port);
        }
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

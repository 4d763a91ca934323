package io.hookrail.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.test.AvailablePortFinder;

/**
 * A shared-storage master/slave pair of ActiveMQ Classic brokers, each a JVM of its own ({@link BrokerMain}) running
 * {@code docker/activemq/activemq.xml} as the compose file's activemq-a and activemq-b do: one KahaDB directory, two
 * ports. Whichever takes KahaDB's lock first is the master and opens its port; the other waits on the lock.
 */
public final class ActiveMqPair implements AutoCloseable {

    /**
     * Hookrail's reconnect options (docs/production.md, "Running several instances"): brokers in the order given (randomize=false: every
     * client tries the same one first, where the master usually is); the first retry after 100 ms, doubling up to 2 s
     * (a takeover takes about a second: the slave polls the lock every second); and timeout=4000: a send or a new
     * connection fails after 4 s without a reachable broker instead of blocking forever, under Hookrail's 5 s
     * hookrail.broker.sendTimeoutMillis, so a webhook is answered 503 in time. Each tcp:// connection gives a peer
     * that is silent for 10 s up (nested.wireFormat.maxInactivityDuration, ActiveMQ's default 30 s): a broker host
     * that vanishes without closing its sockets.
     */
    public static final String FAILOVER_OPTIONS = "randomize=false&initialReconnectDelay=100&maxReconnectDelay=2000"
            + "&useExponentialBackOff=true&timeout=4000&nested.wireFormat.maxInactivityDuration=10000";

    private static final String USER = "hookrail";
    private static final String PASSWORD = "pair-test-password-0123456789abcdef";

    private final Path dir;
    private final List<Broker> brokers = new ArrayList<>();

    private record Broker(int port, Process process, Path log) {
    }

    /** Starts both brokers at once (either may win the lock) and waits until one accepts connections. */
    public ActiveMqPair(Path dir) throws Exception {
        this.dir = dir;
        Path shared = Files.createDirectories(dir.resolve("shared-kahadb"));
        for (String name : List.of("a", "b")) {
            brokers.add(start(name, shared));
        }
        awaitMaster();
    }

    private Broker start(String name, Path shared) throws IOException {
        int port = AvailablePortFinder.getNextAvailable();
        Path data = Files.createDirectories(dir.resolve("broker-" + name));
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-Dactivemq.data=" + data,
                "-DACTIVEMQ_KAHADB_DIR=" + shared,
                "-DACTIVEMQ_OPENWIRE_PORT=" + port,
                "-DACTIVEMQ_BROKER_NAME=pair-" + name,
                "-DHOOKRAIL_BROKER_USERNAME=" + USER,
                "-DHOOKRAIL_BROKER_PASSWORD=" + PASSWORD,
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                BrokerMain.class.getName(),
                Path.of("docker/activemq/activemq.xml").toAbsolutePath().toString());
        Path log = dir.resolve("broker-" + name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Broker(port, process, log);
    }

    public String failoverUrl() {
        return "failover:(tcp://127.0.0.1:" + brokers.get(0).port() + ",tcp://127.0.0.1:" + brokers.get(1).port() + ")?"
                + FAILOVER_OPTIONS;
    }

    public String username() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public List<Integer> ports() {
        return brokers.stream().map(Broker::port).toList();
    }

    /** Whether the broker on this port accepts TCP connections (only the master has its connector open). */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** The port of the broker that accepts connections, once one does (at most 30 s). */
    public int awaitMaster() throws InterruptedException {
        int[] master = {0};
        boolean found = Await.until(Duration.ofSeconds(30), () -> {
            if (brokers.stream().noneMatch(broker -> broker.process().isAlive())) {
                throw new IllegalStateException("no broker is running; see " + logs());
            }
            brokers.stream().filter(broker -> broker.process().isAlive() && accepts(broker.port())).findFirst()
                    .ifPresent(broker -> master[0] = broker.port());
            return master[0] != 0;
        });
        if (!found) {
            throw new IllegalStateException("no broker accepted connections within 30 s; see " + logs());
        }
        return master[0];
    }

    /** SIGKILL of the master (the one whose port accepts connections); returns its port. */
    public int killMaster() throws InterruptedException {
        int port = awaitMaster();
        Broker master = brokers.stream().filter(broker -> broker.port() == port).findFirst().orElseThrow();
        master.process().destroyForcibly();
        if (!master.process().waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the master did not die within 30 s");
        }
        return port;
    }

    private String logs() {
        StringBuilder text = new StringBuilder();
        for (Broker broker : brokers) {
            try {
                text.append("\n--- ").append(broker.log()).append('\n').append(Files.readString(broker.log()));
            } catch (IOException unreadable) {
                text.append("\n--- ").append(broker.log()).append(": ").append(unreadable);
            }
        }
        return text.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (Broker broker : brokers) {
            broker.process().destroyForcibly();
        }
        for (Broker broker : brokers) {
            broker.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import javax.management.ObjectName;

import io.hookrail.broker.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/**
 * The bench's same-run baselines, each in a JVM of its own with the fat jar on the classpath. A plain
 * DefaultCamelContext with routes added here in Java: Camel Main is not used, so the jar's application.properties
 * and YAML routes are not picked up.
 * <ul>
 * <li>{@code http-202 <port>}: (a) platform-http (Vert.x, as in Hookrail) answering 202, nothing else.</li>
 * <li>{@code http-jms <port> <dataDir> <brokerPort>}: (b) the naive route, platform-http → persistent InOnly
 *     {@code to(jms:topic:VirtualTopic.order.placed)} → 202, on Hookrail's own {@link EmbeddedBroker} (same KahaDB
 *     settings, same access plugin, reached over vm:// through a JmsPoolConnectionFactory of 4 connections, as
 *     Hookrail's BrokerConfiguration does), with order-fulfilment's queue created first so every message is stored.
 *     {@code GET /bench/queue-size} answers the depth of that queue (from the broker's JMX view).</li>
 * <li>{@code jms-send <dataDir> <brokerPort> <connections,...> <seconds> <maxPerPoint> <out>}: (c) the broker's own
 *     persistent send: C producer threads, each with its own connection and session, doing synchronous persistent
 *     sends of the same bodies, no HTTP. One JSON line per point, then a zero-loss check of the queue.</li>
 * </ul>
 * The HTTP modes print "ready" once listening and run until killed.
 */
public final class Baselines {

    static final String TOPIC = "VirtualTopic.order.placed";
    static final String QUEUE = "Consumer.order-fulfilment." + TOPIC;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "http-202" -> http(Integer.parseInt(args[1]), null);
            case "http-jms" -> http(Integer.parseInt(args[1]), startBroker(Path.of(args[2]), Integer.parseInt(args[3])));
            case "jms-send" -> jmsSend(startBroker(Path.of(args[1]), Integer.parseInt(args[2])), args[3],
                    Double.parseDouble(args[4]), Integer.parseInt(args[5]), Path.of(args[6]));
            default -> throw new IllegalArgumentException("unknown baseline " + args[0]);
        }
    }

    static EmbeddedBroker startBroker(Path dataDir, int port) throws Exception {
        EmbeddedBroker broker = new EmbeddedBroker(dataDir.toAbsolutePath().resolve("broker"), port, null, null);
        broker.start();
        try (Connection connection = connectionFactory(broker).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createQueue(QUEUE)).close(); // the Virtual Topic copies to existing queues
        }
        return broker;
    }

    static ActiveMQConnectionFactory connectionFactory(EmbeddedBroker broker) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.clientUrl());
        factory.setUserName(EmbeddedBroker.INTERNAL_USER);
        factory.setPassword(broker.internalPassword());
        factory.setSendTimeout(5000);
        return factory;
    }

    static long queueSize(EmbeddedBroker broker) throws Exception {
        ObjectName name = new ObjectName("org.apache.activemq:type=Broker,brokerName=" + broker.brokerName()
                + ",destinationType=Queue,destinationName=" + QUEUE);
        return ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "QueueSize")).longValue();
    }

    static void http(int port, EmbeddedBroker broker) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindHost("127.0.0.1");
        server.setBindPort(port);
        camel.addService(new VertxPlatformHttpServer(server));
        if (broker != null) {
            JmsPoolConnectionFactory pooled = new JmsPoolConnectionFactory();
            pooled.setConnectionFactory(connectionFactory(broker));
            pooled.setMaxConnections(4);
            camel.addComponent("jms", JmsComponent.jmsComponent(pooled));
        }
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                var route = from("platform-http:/webhooks/shop?httpMethodRestrict=POST").routeId("baseline");
                if (broker != null) {
                    route.convertBodyTo(String.class)
                            .to(ExchangePattern.InOnly, "jms:topic:" + TOPIC + "?deliveryPersistent=true");
                }
                route.removeHeaders("*")
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                        .setBody(constant(""));
                if (broker != null) {
                    from("platform-http:/bench/queue-size?httpMethodRestrict=GET").routeId("queue-size")
                            .process(e -> e.getMessage().setBody(String.valueOf(queueSize(broker))));
                }
            }
        });
        camel.start();
        System.out.println("ready");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            camel.stop();
            if (broker != null) {
                broker.stop();
            }
            stopped.countDown();
        }));
        stopped.await();
    }

    static void jmsSend(EmbeddedBroker broker, String connectionList, double seconds, int maxPerPoint, Path out)
            throws Exception {
        String template = Files.readString(Path.of("examples/events/shop-order-placed-small.json")).strip();
        ActiveMQConnectionFactory factory = connectionFactory(broker);
        long sentOk = 0;
        try (PrintStream results = new PrintStream(Files.newOutputStream(out, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
            int point = 0;
            for (String c : ("8," + connectionList).split(",")) { // the first, at 8, is the warm-up
                int connections = Integer.parseInt(c.trim());
                String phase = point == 0 ? "warmup" : "measure";
                double pointSeconds = point == 0 ? Math.min(5, seconds) : seconds;
                Load.Result result = point(factory, template, point++, connections, pointSeconds, maxPerPoint, phase);
                sentOk += result.count("202");
                String line = result.json();
                System.out.println(line);
                results.println(line);
            }
            long size = queueSize(broker);
            String check = size == sentOk ? "ok" : "FAIL";
            String line = "{\"system\":\"c\",\"scenario\":\"zero-loss\",\"sent\":" + sentOk + ",\"onQueue\":" + size
                    + ",\"check\":\"" + check + "\"}";
            System.out.println(line);
            results.println(line);
        }
        broker.stop();
        System.exit(0);
    }

    /** One point: C threads, each its own connection, session and producer, synchronous persistent sends. */
    static Load.Result point(ActiveMQConnectionFactory factory, String template, int point, int connections,
                             double seconds, int maxPerPoint, String phase) throws Exception {
        int perThread = Math.max(1, maxPerPoint / connections);
        String[][] bodies = new String[connections][perThread];
        for (int t = 0; t < connections; t++) {
            for (int i = 0; i < perThread; i++) {
                bodies[t][i] = template.replace("\"ORD-10001\"", "\"ORD-C" + point + "-" + t + "-" + i + "\"");
            }
        }
        long[][] latencies = new long[connections][perThread];
        int[] sent = new int[connections];
        long[] failed = new long[connections];
        Connection[] jms = new Connection[connections];
        MessageProducer[] producers = new MessageProducer[connections];
        Session[] sessions = new Session[connections];
        for (int t = 0; t < connections; t++) {
            jms[t] = factory.createConnection();
            jms[t].start();
            sessions[t] = jms[t].createSession(false, Session.AUTO_ACKNOWLEDGE);
            producers[t] = sessions[t].createProducer(sessions[t].createTopic(TOPIC));
            producers[t].setDeliveryMode(DeliveryMode.PERSISTENT);
        }
        long start = System.nanoTime() + 20_000_000L;
        long deadline = start + (long) (seconds * 1e9);
        Thread[] threads = new Thread[connections];
        for (int t = 0; t < connections; t++) {
            final int index = t;
            threads[t] = new Thread(() -> {
                while (System.nanoTime() < start) {
                    Thread.onSpinWait();
                }
                int i = 0;
                for (; i < perThread && System.nanoTime() < deadline; i++) {
                    long begin = System.nanoTime();
                    try {
                        producers[index].send(sessions[index].createTextMessage(bodies[index][i]));
                    } catch (Exception e) {
                        failed[index]++;
                    }
                    latencies[index][i] = System.nanoTime() - begin;
                }
                sent[index] = i;
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long end = System.nanoTime();
        for (Connection connection : jms) {
            connection.close();
        }
        Load.Result result = new Load.Result("c", "jms-send", phase, connections, 0);
        result.seconds = Math.max(1e-3, (Math.min(end, deadline) - start) / 1e9);
        long total = Arrays.stream(sent).sum();
        long errors = Arrays.stream(failed).sum();
        long[] all = new long[(int) total];
        int k = 0;
        for (int t = 0; t < connections; t++) {
            System.arraycopy(latencies[t], 0, all, k, sent[t]);
            k += sent[t];
        }
        Arrays.sort(all);
        result.latenciesNanos = all;
        // "202" stands for a send the broker confirmed, so every system's rate reads alike
        result.statuses.putAll(Map.of("202", total - errors));
        if (errors > 0) {
            result.statuses.put("error", errors);
        }
        return result;
    }
}

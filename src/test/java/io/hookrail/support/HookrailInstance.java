package io.hookrail.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import io.hookrail.HookrailApplication;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;

/**
 * One Hookrail application booted in this JVM exactly as {@link HookrailApplication} boots it, on free loopback ports
 * and a fresh data directory, with per-test property overrides.
 */
public final class HookrailInstance implements AutoCloseable {

    /** The test client user of the embedded broker's TCP connector. */
    public static final String BROKER_USER = "test-client";
    public static final String BROKER_PASSWORD = "test-client-password-" + java.util.UUID.randomUUID();

    private final Main main;
    private final int httpPort;
    private final int managementPort;
    private final int brokerPort;
    private final Path dataDir;
    private final String scheme;

    private HookrailInstance(Map<String, String> overrides, Map<String, Object> beans, Path dataDir) {
        this.dataDir = dataDir;
        this.scheme = "true".equals(overrides.get("camel.server.useGlobalSslContextParameters")) ? "https" : "http";
        this.httpPort = AvailablePortFinder.getNextAvailable();
        this.managementPort = AvailablePortFinder.getNextAvailable();
        this.brokerPort = AvailablePortFinder.getNextAvailable();
        main = HookrailApplication.newMain();
        main.addOverrideProperty("camel.server.host", "127.0.0.1");
        main.addOverrideProperty("camel.server.port", String.valueOf(httpPort));
        main.addOverrideProperty("camel.management.port", String.valueOf(managementPort));
        main.addOverrideProperty("hookrail.broker.port", String.valueOf(brokerPort));
        // the embedded broker's connector, for tests that read what Hookrail published or inject what it must refuse
        main.addOverrideProperty("hookrail.broker.tcp.enabled", "true");
        main.addOverrideProperty("hookrail.broker.tcp.username", BROKER_USER);
        main.addOverrideProperty("hookrail.broker.tcp.password", BROKER_PASSWORD);
        main.addOverrideProperty("hookrail.data.dir", dataDir.toString());
        overrides.forEach(main::addOverrideProperty);
        beans.forEach(main::bind);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The business listener's URL: https when the test configured TLS on it. */
    public String baseUrl() {
        return scheme + "://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** The embedded broker's OpenWire URL, for tests that read what Hookrail published. */
    public String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort + "?jms.userName=" + BROKER_USER + "&jms.password=" + BROKER_PASSWORD;
    }

    public Path dataDir() {
        return dataDir;
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    /** The JMX name of one of this instance's Camel services, such as Hookrail's {@code DeadLetterQueues}. */
    public ObjectName serviceMBean(String name) {
        try {
            return new ObjectName("org.apache.camel:context=" + camelContext().getManagementName()
                    + ",type=services,name=" + name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    @Override
    public void close() {
        main.stop();
        main.shutdown();
    }

    /** Options of one instance. */
    public static final class Builder {
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private final Map<String, Object> beans = new LinkedHashMap<>();
        private Path dataDir;

        /** Starts on this data directory (e.g. an earlier instance's, to start it again), not a fresh one. */
        public Builder dataDir(Path directory) {
            this.dataDir = directory;
            return this;
        }

        public Builder property(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /** Binds a bean in the registry before Hookrail configures itself, as an embedding application would. */
        public Builder bean(String name, Object bean) {
            beans.put(name, bean);
            return this;
        }

        public Builder database(TestDatabase database) {
            return property("hookrail.db.url", database.jdbcUrl());
        }

        public HookrailInstance start() {
            try {
                HookrailInstance instance = new HookrailInstance(overrides, beans,
                        dataDir != null ? dataDir : Files.createTempDirectory("hookrail-test-"));
                instance.main.start();
                return instance;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (Exception e) {
                throw new IllegalStateException("Hookrail did not start", e);
            }
        }
    }
}

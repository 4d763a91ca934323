package io.hookrail.broker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

import io.hookrail.privacy.KeyFiles;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.service.ServiceSupport;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/**
 * Connects Hookrail to ActiveMQ: starts the embedded broker when {@code hookrail.broker.url} is empty, and binds the
 * pooled {@code jmsConnectionFactory} that the {@code jms} component autowires.
 */
@Configuration
public class BrokerConfiguration implements CamelConfiguration {

    @PropertyInject(value = "hookrail.broker.url", defaultValue = "")
    private String brokerUrl;
    @PropertyInject(value = "hookrail.broker.port", defaultValue = "61616")
    private int brokerPort;
    @PropertyInject(value = "hookrail.broker.username", defaultValue = "")
    private String username;
    @PropertyInject(value = "hookrail.broker.password", defaultValue = "")
    private String password;
    @PropertyInject(value = "hookrail.broker.tcp.enabled", defaultValue = "false")
    private boolean tcpEnabled;
    @PropertyInject(value = "hookrail.broker.tcp.username", defaultValue = "")
    private String tcpUsername;
    @PropertyInject(value = "hookrail.broker.tcp.password", defaultValue = "")
    private String tcpPassword;
    @PropertyInject(value = "hookrail.broker.tcp.monitor.username", defaultValue = "")
    private String monitorUsername;
    @PropertyInject(value = "hookrail.broker.tcp.monitor.password", defaultValue = "")
    private String monitorPassword;
    @PropertyInject(value = "hookrail.broker.sendTimeoutMillis", defaultValue = "5000")
    private int sendTimeoutMillis;
    @PropertyInject(value = "hookrail.broker.maxConnections", defaultValue = "4")
    private int maxConnections;
    @PropertyInject(value = "hookrail.flow.prefetch", defaultValue = "10")
    private int queuePrefetch;
    @PropertyInject(value = "hookrail.flow.keyHeartbeatMillis", defaultValue = "15000")
    private long keyHeartbeatMillis;
    @PropertyInject(value = "hookrail.data.dir", defaultValue = "data")
    private String dataDir;
    @PropertyInject(value = "hookrail.broker.sealKey", defaultValue = "")
    private String sealKey;

    @Override
    public void configure(CamelContext context) throws Exception {
        requireFailoverTimeout(brokerUrl);
        EmbeddedBroker embedded = brokerUrl.isBlank() ? startEmbeddedBroker(context) : null;
        ActiveMQConnectionFactory activeMq = new ActiveMQConnectionFactory(embedded != null ? embedded.clientUrl() : brokerUrl);
        if (embedded != null) {
            activeMq.setUserName(EmbeddedBroker.INTERNAL_USER);
            activeMq.setPassword(embedded.internalPassword());
        } else if (!username.isBlank()) {
            activeMq.setUserName(username);
            activeMq.setPassword(password);
        }
        // a send the broker does not confirm in time fails, so the webhook answers 503 instead of hanging
        activeMq.setSendTimeout(sendTimeoutMillis);
        activeMq.setTrustedPackages(java.util.List.of()); // we only exchange text messages: no Java deserialisation
        // a rolled-back flow message (its key busy elsewhere, or a crash) comes again, never parked in ActiveMQ.DLQ:
        // dead-lettering is the flows' own decision, with the reason, in DLQ.<flow>
        RedeliveryPolicy redelivery = activeMq.getRedeliveryPolicy();
        redelivery.setMaximumRedeliveries(RedeliveryPolicy.NO_MAXIMUM_REDELIVERIES);
        redelivery.setInitialRedeliveryDelay(1000);
        redelivery.setUseExponentialBackOff(true);
        redelivery.setBackOffMultiplier(2);
        // most redeliveries are of a key busy elsewhere: ask again each heartbeat, so that a dead instance's keys move
        // as soon as their lease runs out, not up to a long back-off later
        redelivery.setMaximumRedeliveryDelay(Math.min(30_000, keyHeartbeatMillis));
        // ActiveMQ pushes 1000 messages to each queue consumer by default: one flow consumer would sit on a backlog
        // (and the message groups in it) that its siblings could run; a few each keep them busy and share the load
        activeMq.getPrefetchPolicy().setQueuePrefetch(queuePrefetch);

        JmsPoolConnectionFactory pooled = new JmsPoolConnectionFactory();
        pooled.setConnectionFactory(activeMq);
        pooled.setMaxConnections(maxConnections);
        context.getRegistry().bind("jmsConnectionFactory", pooled);
        context.getRegistry().bind(EventSeal.BEAN, new EventSeal(sealKey()));
        context.getRegistry().bind("brokerHealthCheck", new BrokerHealthCheck(pooled));
        // added after the broker, so Camel closes the pool before it stops the broker
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                pooled.stop();
            }
        }, true, true);
    }

    /**
     * A {@code failover:} URL must say how long a send waits for a broker: without {@code timeout}, ActiveMQ's failover
     * transport holds a send until some broker is back, so a webhook would hang instead of answering 503.
     */
    static void requireFailoverTimeout(String url) {
        // the failover's own options follow its list of brokers, whose URLs may carry options of their own
        String options = url.substring(url.lastIndexOf(')') + 1);
        String query = options.contains("?") ? options.substring(options.indexOf('?') + 1) : "";
        boolean failover = url.trim().startsWith("failover:");
        boolean timeout = Arrays.stream(query.split("&")).anyMatch(option -> option.matches("timeout=[1-9]\\d*"));
        if (failover && !timeout) {
            throw new IllegalArgumentException("hookrail.broker.url is a failover URL without a timeout: add"
                    + " ?timeout=<ms> (e.g. timeout=3000), or a send waits for a broker forever instead of failing, and"
                    + " webhooks hang instead of answering 503");
        }
    }

    /**
     * The key of the event seal: {@code hookrail.broker.sealKey} (base64, at least 32 bytes; instances sharing a broker
     * share it), else one made once and kept in the data directory, so messages sealed before a restart still verify.
     */
    private byte[] sealKey() throws IOException {
        if (!sealKey.isBlank()) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(sealKey.trim());
            } catch (IllegalArgumentException notBase64) {
                throw new IllegalArgumentException("hookrail.broker.sealKey is not base64", notBase64);
            }
            if (key.length < EventSeal.MIN_KEY_BYTES) {
                throw new IllegalArgumentException("hookrail.broker.sealKey has " + key.length + " bytes: it needs at"
                        + " least " + EventSeal.MIN_KEY_BYTES);
            }
            return key;
        }
        return KeyFiles.readOrCreate(Path.of(dataDir).toAbsolutePath().resolve("seal-key"), 32);
    }

    private EmbeddedBroker startEmbeddedBroker(CamelContext context) throws Exception {
        EmbeddedBroker.TcpClient client = null;
        if (tcpEnabled) {
            if (tcpUsername.isBlank() || tcpPassword.isBlank()) {
                throw new IllegalArgumentException("hookrail.broker.tcp.enabled is true: set hookrail.broker.tcp.username"
                        + " and hookrail.broker.tcp.password (HOOKRAIL_BROKER_TCP_PASSWORD), the connector's one user");
            }
            client = new EmbeddedBroker.TcpClient(tcpUsername, tcpPassword);
        }
        EmbeddedBroker.TcpClient monitor = null;
        if (tcpEnabled && !monitorUsername.isBlank()) {
            if (monitorPassword.isBlank() || monitorUsername.equals(tcpUsername)
                    || monitorUsername.equals(EmbeddedBroker.INTERNAL_USER)) {
                throw new IllegalArgumentException("hookrail.broker.tcp.monitor.username is set: give the monitor a user"
                        + " name of its own and hookrail.broker.tcp.monitor.password (HOOKRAIL_BROKER_TCP_MONITOR_PASSWORD)");
            }
            monitor = new EmbeddedBroker.TcpClient(monitorUsername, monitorPassword);
        }
        EmbeddedBroker broker = new EmbeddedBroker(Path.of(dataDir).toAbsolutePath().resolve("broker"), brokerPort,
                client, monitor);
        context.addService(broker, true, true);
        context.getRegistry().bind("embeddedBroker", broker);
        return broker;
    }
}

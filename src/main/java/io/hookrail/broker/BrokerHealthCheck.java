package io.hookrail.broker;

import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Session;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: Hookrail can open a JMS session on its broker, so it can persist what it accepts. */
public final class BrokerHealthCheck extends AbstractHealthCheck {

    private final ConnectionFactory connectionFactory;

    public BrokerHealthCheck(ConnectionFactory connectionFactory) {
        super("hookrail", "broker");
        this.connectionFactory = connectionFactory;
    }

    @Override
    public boolean isLiveness() {
        // a broker outage is not cured by restarting Hookrail
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection connection = connectionFactory.createConnection()) {
            connection.createSession(false, Session.AUTO_ACKNOWLEDGE).close();
            builder.up();
        } catch (Exception e) {
            builder.down().message("broker unreachable: " + e.getMessage()).error(e);
        }
    }
}

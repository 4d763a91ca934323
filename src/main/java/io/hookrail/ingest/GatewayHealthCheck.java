package io.hookrail.ingest;

import java.util.Map;

import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the webhook gateway is open. It opens after startup, once every flow's queue exists, and Camel's own
 * route checks leave out a route that does not start by itself.
 */
final class GatewayHealthCheck extends AbstractHealthCheck {

    GatewayHealthCheck() {
        super("hookrail", "gateway");
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ServiceStatus status = getCamelContext().getRouteController().getRouteStatus(GatewayOpening.ROUTE_ID);
        if (status == ServiceStatus.Started) {
            builder.up();
        } else {
            builder.down().message("the webhook gateway is " + (status == null ? "absent" : status.name().toLowerCase()));
        }
    }
}

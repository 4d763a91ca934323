package io.hookrail.store;

import java.sql.Connection;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: the store hands out a valid connection, so deduplication and later state can be written. */
public final class StoreHealthCheck extends AbstractHealthCheck {

    private static final int VALIDATION_TIMEOUT_SECONDS = 2;

    private final DataSource dataSource;

    public StoreHealthCheck(DataSource dataSource) {
        super("hookrail", "store");
        this.dataSource = dataSource;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection connection = dataSource.getConnection()) {
            if (connection.isValid(VALIDATION_TIMEOUT_SECONDS)) {
                builder.up();
            } else {
                builder.down().message("store connection is not valid");
            }
        } catch (Exception e) {
            builder.down().message("store unreachable: " + e.getMessage()).error(e);
        }
    }
}

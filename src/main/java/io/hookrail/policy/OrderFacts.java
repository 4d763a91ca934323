package io.hookrail.policy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import io.hookrail.store.SqlStates;

/**
 * What Hookrail has seen of each order (table {@code policy_order}): its amount and currency, so that a later refund
 * can be judged against the order it refers to. The first sighting of an order is kept.
 */
public final class OrderFacts {

    private final DataSource dataSource;
    private final Clock clock;

    public OrderFacts(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public void remember(String orderId, long amountMinor, String currency) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO policy_order (order_id, amount_minor, currency, seen_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, orderId);
            insert.setLong(2, amountMinor);
            insert.setString(3, currency);
            insert.setObject(4, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!SqlStates.isUniqueViolation(e)) {
                throw e;
            }
        }
    }

    /** Whether Hookrail has seen the order (its flow reached the policy gate), for a refund's data-quality rule. */
    public boolean isKnown(String orderId) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM policy_order WHERE order_id = ?")) {
            select.setString(1, orderId);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /** The facts of the order, or none when Hookrail never saw it. */
    public PolicyFacts of(String orderId) throws SQLException {
        if (orderId == null) {
            return PolicyFacts.none();
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT amount_minor, currency FROM policy_order WHERE order_id = ?")) {
            select.setString(1, orderId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new PolicyFacts(row.getLong(1), row.getString(2)) : PolicyFacts.none();
            }
        }
    }
}

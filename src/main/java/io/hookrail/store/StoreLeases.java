package io.hookrail.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The {@code cluster_lease} table: one row per singleton namespace, held by one instance until it expires.
 * <p>
 * Every time is the database's {@code CURRENT_TIMESTAMP}, never a parameter from the instance: all instances then judge
 * "expired" against one clock, so a skewed instance clock can neither steal a live lease nor keep a dead one. The
 * instance's own clock is used only for how long it trusts its last renewal ({@link LeaseClusterView}), and only
 * as a monotonic duration, never compared with a stored time.
 */
final class StoreLeases {

    private final DataSource dataSource;
    private final String leaseEnd;
    private final int timeoutSeconds;

    /** @param statementTimeout how long one statement may wait before the renewal counts as failed */
    StoreLeases(DataSource dataSource, Duration lease, Duration statementTimeout) {
        this.dataSource = dataSource;
        // a literal, from a Duration: the interval syntax both H2 and PostgreSQL read, with no typed parameter
        this.leaseEnd = "CURRENT_TIMESTAMP + INTERVAL '" + lease.toMillis() / 1000 + "."
                + String.format("%03d", lease.toMillis() % 1000) + "' SECOND";
        this.timeoutSeconds = (int) Math.max(1, statementTimeout.toSeconds());
    }

    /**
     * Renews the namespace's lease if {@code holder} has it, takes it if it expired or nobody ever held it; each in one
     * statement, so two instances cannot both win.
     *
     * @return who holds the lease now (maybe {@code holder}); empty when nobody does
     */
    Optional<String> takeOrRenew(String namespace, String holder) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (update(connection, namespace, holder) == 1) {
                return Optional.of(holder);
            }
            Optional<String> current = liveHolder(connection, namespace);
            if (current.isPresent() || exists(connection, namespace)) {
                return current;
            }
            try {
                insert(connection, namespace, holder);
                return Optional.of(holder);
            } catch (SQLException e) {
                if (!SqlStates.isUniqueViolation(e)) {
                    throw e;
                }
                // another instance inserted the first row between our read and our insert: it holds the lease
                return liveHolder(connection, namespace);
            }
        }
    }

    /**
     * Ends the lease now if {@code holder} has it, so another instance takes it at its next renewal.
     *
     * @return whether it had it
     */
    boolean release(String namespace, String holder) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "UPDATE cluster_lease SET expires_at = CURRENT_TIMESTAMP WHERE namespace = ? AND holder = ? "
                     + "AND expires_at > CURRENT_TIMESTAMP")) {
            connection.setAutoCommit(true);
            statement.setQueryTimeout(timeoutSeconds);
            statement.setString(1, namespace);
            statement.setString(2, holder);
            return statement.executeUpdate() == 1;
        }
    }

    private int update(Connection connection, String namespace, String holder) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE cluster_lease SET holder = ?, "
                + "acquired_at = CASE WHEN holder = ? AND expires_at > CURRENT_TIMESTAMP THEN acquired_at "
                + "ELSE CURRENT_TIMESTAMP END, renewed_at = CURRENT_TIMESTAMP, expires_at = " + leaseEnd
                + " WHERE namespace = ? AND (holder = ? OR expires_at <= CURRENT_TIMESTAMP)")) {
            statement.setQueryTimeout(timeoutSeconds);
            statement.setString(1, holder);
            statement.setString(2, holder);
            statement.setString(3, namespace);
            statement.setString(4, holder);
            return statement.executeUpdate();
        }
    }

    private void insert(Connection connection, String namespace, String holder) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO cluster_lease "
                + "(namespace, holder, acquired_at, renewed_at, expires_at) "
                + "VALUES (?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, " + leaseEnd + ")")) {
            statement.setQueryTimeout(timeoutSeconds);
            statement.setString(1, namespace);
            statement.setString(2, holder);
            statement.executeUpdate();
        }
    }

    private Optional<String> liveHolder(Connection connection, String namespace) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT holder FROM cluster_lease WHERE namespace = ? AND expires_at > CURRENT_TIMESTAMP")) {
            statement.setQueryTimeout(timeoutSeconds);
            statement.setString(1, namespace);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        }
    }

    private boolean exists(Connection connection, String namespace) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM cluster_lease WHERE namespace = ?")) {
            statement.setQueryTimeout(timeoutSeconds);
            statement.setString(1, namespace);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }
}

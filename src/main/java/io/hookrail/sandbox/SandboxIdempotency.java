package io.hookrail.sandbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import javax.sql.DataSource;

import io.hookrail.store.SqlStates;

/**
 * The sandbox's idempotency keys, one row per (system, key) in table {@code sandbox_idempotency}: the first call with
 * a key performs its effect and stores its response in one transaction; every later call gets that response back.
 */
final class SandboxIdempotency {

    /** A response as it was first answered. */
    record Response(int status, String body) {
    }

    /** The stored response of the call that performed its effect with a key, and when it did. */
    record Stored(Response response, Instant at) {
    }

    /** What became of a call. */
    record Outcome(Kind kind, Response response) {

        enum Kind {
            /** The key was new: the effect happened now. */
            PERFORMED,
            /** The key was used before with the same request: the stored response, no new effect. */
            REPLAYED,
            /** The key was used before with a different request: nothing happened. */
            CONFLICT
        }
    }

    /** The side effect of a call, run inside the transaction that claims its key. */
    @FunctionalInterface
    interface Effect {
        void perform(Connection transaction) throws SQLException;
    }

    private final DataSource dataSource;

    SandboxIdempotency(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Performs the effect unless the key was claimed before, and stores the response with the key in the same
     * transaction, so an effect without its stored response (or the reverse) cannot exist.
     * <p>
     * Concurrent calls with one key serialise on the primary key: the second insert waits on the first's uncommitted
     * row, then fails once it commits, and the second call reads the stored response.
     */
    Outcome once(String system, String key, String requestHash, Response response, Instant at, Effect effect)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (claim(connection, system, key, requestHash, response, at)) {
                    effect.perform(connection);
                    connection.commit();
                    return new Outcome(Outcome.Kind.PERFORMED, response);
                }
                // PostgreSQL aborts the transaction at the failed insert: start a clean one to read the winner's row
                connection.rollback();
                Outcome earlier = earlier(connection, system, key, requestHash);
                connection.commit();
                return earlier;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** The stored response of the call with this key, if one performed its effect; read-only. */
    Optional<Stored> find(String system, String key) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT response_status, response_body, created_at "
                     + "FROM sandbox_idempotency WHERE system = ? AND idempotency_key = ?")) {
            select.setString(1, system);
            select.setString(2, key);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Stored(new Response(row.getInt(1), row.getString(2)),
                        row.getObject(3, OffsetDateTime.class).toInstant()));
            }
        }
    }

    private static boolean claim(Connection transaction, String system, String key, String requestHash,
                                 Response response, Instant at) throws SQLException {
        try (PreparedStatement insert = transaction.prepareStatement("INSERT INTO sandbox_idempotency "
                + "(system, idempotency_key, request_hash, response_status, response_body, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, system);
            insert.setString(2, key);
            insert.setString(3, requestHash);
            insert.setInt(4, response.status());
            insert.setString(5, response.body());
            insert.setObject(6, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (SqlStates.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    private static Outcome earlier(Connection connection, String system, String key, String requestHash)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT request_hash, response_status, response_body "
                + "FROM sandbox_idempotency WHERE system = ? AND idempotency_key = ?")) {
            select.setString(1, system);
            select.setString(2, key);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    // rows are never deleted, so a key that collided is there
                    throw new IllegalStateException("Idempotency key " + key + " of " + system + " collided but is missing");
                }
                Response stored = new Response(row.getInt(2), row.getString(3));
                return new Outcome(requestHash.equals(row.getString(1)) ? Outcome.Kind.REPLAYED : Outcome.Kind.CONFLICT,
                        stored);
            }
        }
    }
}

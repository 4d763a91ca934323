package io.hookrail.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import io.hookrail.store.SqlStates;

/**
 * The door's memory of accepted deliveries, one row per (source, event id) in table {@code ingest_receipt}.
 */
public final class IngestReceipts {

    private final DataSource dataSource;

    public IngestReceipts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records the receipt inside the caller's transaction.
     * <p>
     * While that transaction is open, a concurrent insert of the same key waits on the primary key; it then fails if
     * the first commits (a duplicate) or succeeds if the first rolls back (the first was never accepted).
     *
     * @return false when the event was accepted before
     */
    boolean record(Connection transaction, String source, IncomingEvent event, String correlationId, Instant at)
            throws SQLException {
        try (PreparedStatement insert = transaction.prepareStatement(
                "INSERT INTO ingest_receipt (source, event_id, event_type, correlation_id, received_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, source);
            insert.setString(2, event.id());
            insert.setString(3, event.type());
            insert.setString(4, correlationId);
            insert.setObject(5, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (SqlStates.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Forgets receipts older than the cutoff; a sender retrying after that is treated as new. */
    public int purgeOlderThan(Instant cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM ingest_receipt WHERE received_at < ?")) {
            delete.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
            return delete.executeUpdate();
        }
    }
}

package io.hookrail.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

/**
 * The door's memory of accepted deliveries, one row per (source, event id) in table {@code ingest_receipt}.
 */
public final class IngestReceipts {

    /** The door's deduplication key. */
    public record Key(String source, String eventId) {
    }

    /** One accepted delivery to remember; {@code businessId} is null when its type's contract names none. */
    public record Receipt(Key key, String eventType, String businessId, String correlationId, Instant receivedAt) {
    }

    /** Keys per {@code IN} list: far below any database's limit on bind parameters. */
    private static final int KEYS_PER_QUERY = 200;

    private final DataSource dataSource;

    public IngestReceipts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Which of these keys are recorded already, as the caller's transaction sees them. The keys are compared as row
     * values, {@code (source, event_id) IN ((?, ?), ...)}, which H2 and PostgreSQL both look up in the primary key;
     * {@code source = ? AND event_id IN (...)} makes H2 scan every receipt of the source.
     */
    Set<Key> recorded(Connection transaction, Collection<Key> keys, int timeoutSeconds) throws SQLException {
        List<Key> all = List.copyOf(keys);
        Set<Key> recorded = new HashSet<>();
        for (int from = 0; from < all.size(); from += KEYS_PER_QUERY) {
            List<Key> chunk = all.subList(from, Math.min(all.size(), from + KEYS_PER_QUERY));
            String sql = "SELECT source, event_id FROM ingest_receipt WHERE (source, event_id) IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?)")) + ")";
            try (PreparedStatement select = transaction.prepareStatement(sql)) {
                select.setQueryTimeout(timeoutSeconds);
                for (int i = 0; i < chunk.size(); i++) {
                    select.setString(2 * i + 1, chunk.get(i).source());
                    select.setString(2 * i + 2, chunk.get(i).eventId());
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        recorded.add(new Key(rows.getString(1), rows.getString(2)));
                    }
                }
            }
        }
        return recorded;
    }

    /**
     * Inserts the receipts, in one JDBC batch, inside the caller's transaction. A key another writer inserted since
     * {@link #recorded} looked (another instance) fails the batch with a unique violation once that writer commits,
     * which the caller answers by trying the whole batch again; while that writer's transaction is open, the insert
     * waits on the primary key (at most the timeout).
     */
    void insert(Connection transaction, List<Receipt> receipts, int timeoutSeconds) throws SQLException {
        try (PreparedStatement insert = transaction.prepareStatement(
                "INSERT INTO ingest_receipt (source, event_id, event_type, business_id, correlation_id, received_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setQueryTimeout(timeoutSeconds); // bounds the wait on a key another instance is writing
            for (Receipt receipt : receipts) {
                insert.setString(1, receipt.key().source());
                insert.setString(2, receipt.key().eventId());
                insert.setString(3, receipt.eventType());
                insert.setString(4, receipt.businessId());
                insert.setString(5, receipt.correlationId());
                insert.setObject(6, OffsetDateTime.ofInstant(receipt.receivedAt(), ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
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

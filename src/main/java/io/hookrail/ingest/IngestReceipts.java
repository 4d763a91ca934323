package io.hookrail.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

/**
 * The door's memory of accepted deliveries, one row per (source, event id) in table {@code ingest_receipt}.
 */
public final class IngestReceipts {

    /** The door's deduplication key. */
    public record Key(String source, String eventId) {
    }

    /** One accepted delivery to remember. */
    public record Receipt(Key key, String eventType, String correlationId, Instant receivedAt) {
    }

    /** Event ids per {@code IN} list: far below any database's limit on bind parameters. */
    private static final int IDS_PER_QUERY = 200;

    private final DataSource dataSource;

    public IngestReceipts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Which of these keys are recorded already, as the caller's transaction sees them: one query per source (a batch
     * rarely holds more than a few), portable to H2 and PostgreSQL.
     */
    Set<Key> recorded(Connection transaction, Collection<Key> keys, int timeoutSeconds) throws SQLException {
        Map<String, List<String>> idsBySource = new LinkedHashMap<>();
        keys.forEach(key -> idsBySource.computeIfAbsent(key.source(), source -> new ArrayList<>()).add(key.eventId()));
        Set<Key> recorded = new HashSet<>();
        for (Map.Entry<String, List<String>> source : idsBySource.entrySet()) {
            List<String> ids = source.getValue();
            for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY));
                String sql = "SELECT event_id FROM ingest_receipt WHERE source = ? AND event_id IN ("
                        + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
                try (PreparedStatement select = transaction.prepareStatement(sql)) {
                    select.setQueryTimeout(timeoutSeconds);
                    select.setString(1, source.getKey());
                    for (int i = 0; i < chunk.size(); i++) {
                        select.setString(i + 2, chunk.get(i));
                    }
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            recorded.add(new Key(source.getKey(), rows.getString(1)));
                        }
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
                "INSERT INTO ingest_receipt (source, event_id, event_type, correlation_id, received_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setQueryTimeout(timeoutSeconds); // bounds the wait on a key another instance is writing
            for (Receipt receipt : receipts) {
                insert.setString(1, receipt.key().source());
                insert.setString(2, receipt.key().eventId());
                insert.setString(3, receipt.eventType());
                insert.setString(4, receipt.correlationId());
                insert.setObject(5, OffsetDateTime.ofInstant(receipt.receivedAt(), ZoneOffset.UTC));
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

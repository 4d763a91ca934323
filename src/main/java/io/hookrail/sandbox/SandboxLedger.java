package io.hookrail.sandbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.HttpAnswers;

/** The sandbox's record of every side effect its fake systems performed, in table {@code sandbox_ledger}. */
final class SandboxLedger {

    /** One side effect. */
    record Entry(String system, String operation, String businessId, String idempotencyKey, String correlationId,
                 Instant at) {

        ObjectNode toJson() {
            return HttpAnswers.MAPPER.createObjectNode()
                    .put("system", system)
                    .put("operation", operation)
                    .put("businessId", businessId)
                    .put("idempotencyKey", idempotencyKey)
                    .put("correlationId", correlationId)
                    .put("at", at.toString());
        }
    }

    private final DataSource dataSource;

    SandboxLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Appends the entry inside the caller's transaction, the one that also stores the call's response. */
    void append(Connection transaction, Entry entry) throws SQLException {
        try (PreparedStatement insert = transaction.prepareStatement("INSERT INTO sandbox_ledger "
                + "(system, operation, business_id, idempotency_key, correlation_id, at) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, entry.system());
            insert.setString(2, entry.operation());
            insert.setString(3, entry.businessId());
            insert.setString(4, entry.idempotencyKey());
            insert.setString(5, entry.correlationId());
            insert.setObject(6, OffsetDateTime.ofInstant(entry.at(), ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }

    /** One page of the ledger: its entries, in the order the effects happened, and how many entries there are. */
    record Page(List<Entry> entries, int page, int size, long total) {
    }

    /** Entries per page of {@code GET /sandbox/ledger} unless the caller asks for another size. */
    static final int DEFAULT_PAGE_SIZE = 100;
    /** The largest page {@code GET /sandbox/ledger} answers. */
    static final int MAX_PAGE_SIZE = 500;

    /**
     * One page of the entries in the order the effects happened (by sequence number: a stable order, so pages do not
     * overlap while new entries are appended), or of those of one business id when it is not null.
     */
    Page page(String businessId, int page, int size) throws SQLException {
        String where = businessId == null ? "" : " WHERE business_id = ?";
        try (Connection connection = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM sandbox_ledger" + where)) {
                if (businessId != null) {
                    count.setString(1, businessId);
                }
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            List<Entry> entries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT system, operation, business_id,"
                    + " idempotency_key, correlation_id, at FROM sandbox_ledger" + where
                    + " ORDER BY seq OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                int index = 1;
                if (businessId != null) {
                    select.setString(index++, businessId);
                }
                select.setLong(index++, (long) page * size);
                select.setInt(index, size);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        entries.add(new Entry(rows.getString(1), rows.getString(2), rows.getString(3),
                                rows.getString(4), rows.getString(5), rows.getObject(6, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            return new Page(entries, page, size, total);
        }
    }

    /**
     * Deletes the ledger entries and the stored idempotent responses from before the instant, or all of them when it
     * is null: a key used before then performs its effect again. Returns how many rows went.
     */
    int purge(Instant before) throws SQLException {
        String where = before == null ? "" : " WHERE %s < ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement ledger = connection.prepareStatement(
                     "DELETE FROM sandbox_ledger" + where.formatted("at"));
             PreparedStatement idempotency = connection.prepareStatement(
                     "DELETE FROM sandbox_idempotency" + where.formatted("created_at"))) {
            if (before != null) {
                OffsetDateTime cutoff = OffsetDateTime.ofInstant(before, ZoneOffset.UTC);
                ledger.setObject(1, cutoff);
                idempotency.setObject(1, cutoff);
            }
            return ledger.executeUpdate() + idempotency.executeUpdate();
        }
    }

    /** Every entry in the order the effects happened, or only those of one business id when it is not null. */
    List<Entry> list(String businessId) throws SQLException {
        String sql = "SELECT system, operation, business_id, idempotency_key, correlation_id, at FROM sandbox_ledger"
                + (businessId == null ? "" : " WHERE business_id = ?") + " ORDER BY seq";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            if (businessId != null) {
                select.setString(1, businessId);
            }
            List<Entry> entries = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new Entry(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getObject(6, OffsetDateTime.class).toInstant()));
                }
            }
            return entries;
        }
    }
}

package io.hookrail.poll;

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
 * The durable watermark of each polling source, one row per source in table {@code poll_watermark} (V17). The
 * poller advances it after the items of a page were admitted, never before: a crash between the two polls that page
 * again, and the door's deduplication makes the repeat harmless.
 */
final class PollWatermarks {

    /** A source's row; {@code watermark} null: from the beginning. */
    record Watermark(String source, String watermark, String windowStart, Instant windowStartedAt, String rerunFrom,
                     Instant lastPollAt, Instant lastSuccessAt, String lastError, Instant updatedAt) {
    }

    /** Longest watermark or error text stored. */
    static final int MAX_TEXT = 1000;

    private final DataSource dataSource;

    PollWatermarks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Optional<Watermark> find(String source) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT source, watermark, window_start,"
                     + " window_started_at, rerun_from, last_poll_at, last_success_at, last_error, updated_at"
                     + " FROM poll_watermark WHERE source = ?")) {
            select.setString(1, source);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                // "" is the watermark of the beginning (a re-run from there is pending as "", not as NULL)
                return Optional.of(new Watermark(row.getString(1), blankToNull(row.getString(2)),
                        blankToNull(row.getString(3)), instant(row, 4),
                        row.getString(5), instant(row, 6), instant(row, 7), row.getString(8), instant(row, 9)));
            }
        }
    }

    /** The source's row, made (from the beginning, or the initial watermark) when it has none yet. */
    Watermark ensure(String source, String initial, Instant now) throws SQLException {
        Optional<Watermark> found = find(source);
        if (found.isPresent()) {
            return found.get();
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO poll_watermark (source, watermark, updated_at) VALUES (?, ?, ?)")) {
            insert.setString(1, source);
            insert.setString(2, initial);
            insert.setObject(3, at(now));
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!SqlStates.isUniqueViolation(e)) {
                throw e; // else another instance made it meanwhile
            }
        }
        return find(source).orElseThrow();
    }

    /**
     * Opens a window at the current watermark, or at the pending re-run's, which it takes up; answers the watermark
     * the window starts at.
     */
    Watermark beginWindow(String source, Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE poll_watermark SET"
                     + " watermark = CASE WHEN rerun_from IS NULL THEN watermark ELSE rerun_from END,"
                     + " window_start = CASE WHEN rerun_from IS NULL THEN watermark ELSE rerun_from END,"
                     + " window_started_at = ?, rerun_from = NULL, last_poll_at = ?, updated_at = ? WHERE source = ?")) {
            update.setObject(1, at(now));
            update.setObject(2, at(now));
            update.setObject(3, at(now));
            update.setString(4, source);
            update.executeUpdate();
        }
        return find(source).orElseThrow();
    }

    /** Moves the watermark on after a page's items were admitted. */
    void advance(String source, String watermark, Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE poll_watermark SET watermark = ?, updated_at = ? WHERE source = ?")) {
            update.setString(1, bounded(watermark));
            update.setObject(2, at(now));
            update.setString(3, source);
            update.executeUpdate();
        }
    }

    /** A window that reached the end of what the remote system had: the watermark stays where it got to. */
    void succeeded(String source, Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE poll_watermark SET last_success_at = ?,"
                     + " last_error = NULL, updated_at = ? WHERE source = ?")) {
            update.setObject(1, at(now));
            update.setObject(2, at(now));
            update.setString(3, source);
            update.executeUpdate();
        }
    }

    /** A page failed: the window ends there, and the next one resumes from the watermark it had reached. */
    void failed(String source, String error, Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE poll_watermark SET last_error = ?, updated_at = ? WHERE source = ?")) {
            update.setString(1, bounded(error == null ? "failed" : error));
            update.setObject(2, at(now));
            update.setString(3, source);
            update.executeUpdate();
        }
    }

    /** Asks for a re-run from an earlier watermark ("": from the beginning), taken up at the poller's next tick. */
    void requestRerun(String source, String from, Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE poll_watermark SET rerun_from = ?, updated_at = ? WHERE source = ?")) {
            update.setString(1, from);
            update.setObject(2, at(now));
            update.setString(3, source);
            if (update.executeUpdate() == 0) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO poll_watermark (source, rerun_from, updated_at) VALUES (?, ?, ?)")) {
                    insert.setString(1, source);
                    insert.setString(2, from);
                    insert.setObject(3, at(now));
                    insert.executeUpdate();
                }
            }
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    private static String bounded(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}

package io.hookrail.privacy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

/**
 * Deletes the stored personal data past its retention: approvals decided or expired longer ago than
 * {@code hookrail.retention.approvals}, and the step journal and attempts of saga attempts that finished (completed
 * or compensated) longer ago than {@code hookrail.retention.stepJournal}. What a run still needs stays: pending
 * approvals, running or compensating attempts with their journal, and the latest attempt of every business id (the
 * next attempt's number, hence its Idempotency-Keys, follows from it; a purged number would be reused).
 */
public final class RetentionPurge {

    private static final String FINISHED = "('COMPLETED', 'COMPENSATED')";

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration approvals;
    private final Duration stepJournal;

    public RetentionPurge(DataSource dataSource, Clock clock, Duration approvals, Duration stepJournal) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.approvals = approvals;
        this.stepJournal = stepJournal;
    }

    /** What one purge deleted. */
    public record Purged(int approvals, int journalRows, int attempts) {
        public int total() {
            return approvals + journalRows + attempts;
        }
    }

    public Purged purge() throws SQLException {
        OffsetDateTime approvalsBefore = OffsetDateTime.ofInstant(clock.instant().minus(approvals), ZoneOffset.UTC);
        OffsetDateTime journalBefore = OffsetDateTime.ofInstant(clock.instant().minus(stepJournal), ZoneOffset.UTC);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int approvalRows = update(connection, "DELETE FROM approval WHERE state <> 'PENDING'"
                        + " AND decided_at IS NOT NULL AND decided_at < ?", approvalsBefore);
                int journalRows = update(connection, "DELETE FROM flow_step_journal WHERE EXISTS (SELECT 1 FROM"
                        + " flow_attempt a WHERE a.flow = flow_step_journal.flow"
                        + " AND a.business_id = flow_step_journal.business_id AND a.attempt = flow_step_journal.attempt"
                        + " AND a.state IN " + FINISHED + " AND a.updated_at < ?)", journalBefore);
                int attempts = update(connection, "DELETE FROM flow_attempt WHERE state IN " + FINISHED
                        + " AND updated_at < ? AND attempt < (SELECT MAX(l.attempt) FROM flow_attempt l"
                        + " WHERE l.flow = flow_attempt.flow AND l.business_id = flow_attempt.business_id)",
                        journalBefore);
                connection.commit();
                return new Purged(approvalRows, journalRows, attempts);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static int update(Connection connection, String sql, OffsetDateTime before) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, before);
            return statement.executeUpdate();
        }
    }
}

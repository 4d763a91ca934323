package io.hookrail.privacy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hookrail.audit.AuditTrail;
import io.hookrail.flow.StepJournal;
import io.hookrail.flow.StepJournal.AttemptState;
import io.hookrail.flow.StepJournal.Run;
import io.hookrail.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The retention purge deletes what is past its retention and keeps what a run still needs, per database. */
class RetentionPurgeTest {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void finishedAttemptsAndDecidedApprovalsGoAfterTheirRetentionAndWhatARunNeedsStays(String database)
            throws Exception {
        try (TestDatabase postgres = database.equals("postgresql") ? TestDatabase.freshPostgres() : null;
             HikariDataSource dataSource = dataSource(postgres == null
                     ? "jdbc:h2:mem:retention-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1" : postgres.jdbcUrl())) {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            StepJournal journal = new StepJournal(dataSource, new AuditTrail(dataSource, Clock.systemUTC()),
                    Clock.systemUTC(), TestPersonalData.create());
            // ORD-1: attempt 1 compensated, attempt 2 completed; ORD-2: attempt 1 still running
            Run compensated = new Run("order-fulfilment", "ORD-1", 1);
            Run completed = new Run("order-fulfilment", "ORD-1", 2);
            Run running = new Run("order-fulfilment", "ORD-2", 1);
            for (Run run : new Run[] {compensated, completed, running}) {
                journal.startAttempt(run.flow(), run.businessId(), run.attempt(), "evt-" + run.businessId());
                journal.intent(run, "email.send", null, null, "http://email/messages", "{\"to\":\"a@example.com\"}");
            }
            journal.attemptState(compensated, AttemptState.COMPENSATED, "payment declined");
            journal.attemptState(completed, AttemptState.COMPLETED, null);
            approval(dataSource, "APR-pending", "PENDING", null);
            approval(dataSource, "APR-decided", "APPROVED", OffsetDateTime.now(ZoneOffset.UTC));

            RetentionPurge notYet = new RetentionPurge(dataSource, Clock.systemUTC(), Duration.ofDays(90),
                    Duration.ofDays(30));
            assertEquals(new RetentionPurge.Purged(0, 0, 0), notYet.purge(), "nothing is past its retention yet");

            Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(91));
            RetentionPurge.Purged purged = new RetentionPurge(dataSource, later, Duration.ofDays(90),
                    Duration.ofDays(30)).purge();
            assertEquals(new RetentionPurge.Purged(1, 2, 1), purged);
            assertEquals("APR-pending", column(dataSource, "SELECT id FROM approval"));
            assertEquals("ORD-2", column(dataSource, "SELECT business_id FROM flow_step_journal"));
            // the latest attempt of ORD-1 stays, so its next attempt gets a new number (and new Idempotency-Keys)
            assertEquals("ORD-1:2,ORD-2:1", column(dataSource, "SELECT business_id || ':' || attempt FROM flow_attempt"
                    + " ORDER BY business_id"));
            assertEquals(2, journal.latestAttempt("order-fulfilment", "ORD-1").orElseThrow().number());
        }
    }

    private static void approval(DataSource dataSource, String id, String state, OffsetDateTime decidedAt)
            throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO approval (id, flow, business_id, event_id, event_type, rule_id, reason, state, event,"
                        + " data_hash, run, created_at, expires_at, decided_at) VALUES (?, 'refund', ?, 'e', 'refund.requested',"
                        + " 'r', 'big', ?, '{}', ?, 1, ?, ?, ?)")) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            insert.setString(1, id);
            insert.setString(2, "RF-" + id);
            insert.setString(3, state);
            insert.setString(4, id);
            insert.setObject(5, now);
            insert.setObject(6, now.plusDays(3));
            insert.setObject(7, decidedAt);
            insert.executeUpdate();
        }
    }

    private static String column(DataSource dataSource, String sql) throws Exception {
        StringBuilder values = new StringBuilder();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.append(values.length() == 0 ? "" : ",").append(rows.getString(1));
            }
        }
        return values.toString();
    }

    private static HikariDataSource dataSource(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }
}

package io.hookrail.flow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.hookrail.audit.AuditTrail;
import io.hookrail.privacy.PersonalData;

/**
 * The step journal in the store (tables {@code flow_attempt} and {@code flow_step_journal}, ADR 6): the saga
 * attempts of a flow on a business id, and for each attempt the intent and outcome of every downstream call, each
 * written in a committed transaction of its own.
 * <p>
 * One flow run of a business id at a time holds its flow key (see {@link FlowIdempotencyRepository}), so the rows of
 * one business id are never written concurrently.
 */
public final class StepJournal {

    /** Where a saga attempt stands. */
    public enum AttemptState {
        /** Steps run (or ran, and the run was dead-lettered with nothing to compensate). */
        RUNNING,
        /** A step gave up: the attempt's done and unknown steps are being undone. */
        COMPENSATING,
        /** Every effect of the attempt was undone: the next run starts a new attempt with new keys. */
        COMPENSATED,
        /** Every step is done. */
        COMPLETED
    }

    /** Where one step of an attempt stands. */
    public enum StepState {
        /** A call is under way, or was when the process died: it may have taken effect. */
        INTENT,
        /** The downstream answered 2xx: the effect happened, the response is kept. */
        DONE,
        /** The downstream answered without an effect (or was never reached). */
        FAILED,
        /** A call timed out or lost its connection: it may have taken effect. */
        UNKNOWN,
        /** The step's compensation is done. */
        COMPENSATED;

        /** Whether the downstream may hold an effect of this step. */
        public boolean mayHaveTakenEffect() {
            return this == INTENT || this == DONE || this == UNKNOWN;
        }
    }

    /** One saga attempt. */
    public record Attempt(int number, AttemptState state, String eventId, String failure) {
    }

    /** One journaled step of an attempt. */
    public record Step(String step, int seq, String idempotencyKey, StepState state, int calls, String compensation,
                       String undoes, String requestUrl, String requestBody, String response) {
    }

    /** The flow, business id and attempt a step belongs to. */
    public record Run(String flow, String businessId, int attempt) {
    }

    /**
     * The downstream requests and responses hold personal data (a confirmation email's address) and have no schema:
     * each column value is encrypted whole, this being its context.
     */
    static final String REQUEST_BODY = "flow_step_journal.request_body";
    static final String RESPONSE = "flow_step_journal.response";
    private static final int MAX_KEY_LENGTH = 300;
    private static final int MAX_TEXT = 2000;
    private static final String STEP_COLUMNS = "step, seq, idempotency_key, state, calls, compensation, undoes,"
            + " request_url, request_body, response";

    private final DataSource dataSource;
    private final AuditTrail audit;
    private final Clock clock;
    private final PersonalData personalData;

    public StepJournal(DataSource dataSource, AuditTrail audit, Clock clock, PersonalData personalData) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.clock = clock;
        this.personalData = personalData;
    }

    /**
     * The downstream Idempotency-Key of a step: the same on every retry, redelivery, replay and second copy of the
     * event, until a compensated attempt gives way to the next.
     */
    public static String idempotencyKey(Run run, String step) {
        String key = run.flow() + ":" + run.businessId() + ":" + step + ":" + run.attempt();
        return key.length() <= MAX_KEY_LENGTH ? key : "sha256:" + sha256(key);
    }

    /** The newest attempt of the flow on the business id, if it ever ran. */
    public Optional<Attempt> latestAttempt(String flow, String businessId) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT attempt, state, event_id, failure FROM flow_attempt WHERE flow = ? AND business_id = ?"
                        + " ORDER BY attempt DESC")) {
            select.setMaxRows(1);
            select.setString(1, flow);
            select.setString(2, businessId);
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? Optional.of(new Attempt(row.getInt(1), AttemptState.valueOf(row.getString(2)), row.getString(3),
                        row.getString(4)))
                        : Optional.empty();
            }
        }
    }

    /** Starts attempt {@code number} of the flow on the business id, for the given event. */
    public Attempt startAttempt(String flow, String businessId, int number, String eventId) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO flow_attempt (flow, business_id, attempt, state, event_id, started_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, flow);
            insert.setString(2, businessId);
            insert.setInt(3, number);
            insert.setString(4, AttemptState.RUNNING.name());
            insert.setString(5, eventId);
            insert.setObject(6, now());
            insert.setObject(7, now());
            insert.executeUpdate();
            return new Attempt(number, AttemptState.RUNNING, eventId, null);
        }
    }

    /** Moves the attempt to the state; a failure given is kept with it (null keeps the one it has). */
    public void attemptState(Run run, AttemptState state, String failure) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            attemptState(connection, run, state, failure);
        }
    }

    /** The steps of the attempt, in the order they were first tried. */
    public List<Step> steps(Run run) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT " + STEP_COLUMNS + " FROM flow_step_journal WHERE flow = ? AND business_id = ? AND attempt = ?"
                        + " ORDER BY seq")) {
            bind(select, run);
            List<Step> steps = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    steps.add(step(row));
                }
            }
            return steps;
        }
    }

    /** One step of the attempt, if it was ever tried. */
    public Optional<Step> step(Run run, String step) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT " + STEP_COLUMNS + " FROM flow_step_journal WHERE flow = ? AND business_id = ? AND attempt = ?"
                        + " AND step = ?")) {
            bind(select, run);
            select.setString(4, step);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(step(row)) : Optional.empty();
            }
        }
    }

    /**
     * Records, committed, that the step is about to call its downstream: a first call inserts the step with its
     * key; a repeat counts the call and keeps an UNKNOWN outcome (an earlier call may still have taken effect).
     * Returns the step's Idempotency-Key.
     */
    public String intent(Run run, String step, String compensation, String undoes, String url, String body)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement update = connection.prepareStatement("UPDATE flow_step_journal"
                        + " SET calls = calls + 1, state = CASE WHEN state = 'UNKNOWN' THEN state ELSE 'INTENT' END,"
                        + " request_url = ?, request_body = ?, updated_at = ?"
                        + " WHERE flow = ? AND business_id = ? AND attempt = ? AND step = ?")) {
                    update.setString(1, url);
                    update.setString(2, personalData.encrypt(REQUEST_BODY, body));
                    update.setObject(3, now());
                    update.setString(4, run.flow());
                    update.setString(5, run.businessId());
                    update.setInt(6, run.attempt());
                    update.setString(7, step);
                    if (update.executeUpdate() == 0) {
                        insertIntent(connection, run, step, compensation, undoes, url, body);
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        return idempotencyKey(run, step);
    }

    /** Records the step's response, and its audit entry, in one transaction. */
    public void done(Run run, String step, String response, String actor, String subject, String correlationId,
                     Map<String, ?> auditDetail) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                outcome(connection, run, step, StepState.DONE, response, null);
                audit.append(connection, actor, "downstream.call", subject, correlationId, auditDetail);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * Records a call that failed: FAILED when the downstream answered without an effect, UNKNOWN when it may have
     * taken one. An UNKNOWN is never turned into FAILED by a later call: the earlier call may still land.
     */
    public void failed(Run run, String step, StepState outcome, String error) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE flow_step_journal SET state = CASE WHEN state IN ('UNKNOWN', 'DONE') THEN state ELSE ? END,"
                        + " last_error = ?, updated_at = ? WHERE flow = ? AND business_id = ? AND attempt = ? AND step = ?")) {
            update.setString(1, outcome.name());
            update.setString(2, truncate(error));
            update.setObject(3, now());
            update.setString(4, run.flow());
            update.setString(5, run.businessId());
            update.setInt(6, run.attempt());
            update.setString(7, step);
            update.executeUpdate();
        }
    }

    /** Records that the step's effect was undone (or found never to have happened). */
    public void compensated(Run run, String step) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            outcome(connection, run, step, StepState.COMPENSATED, null, null);
        }
    }

    private void insertIntent(Connection transaction, Run run, String step, String compensation, String undoes,
                              String url, String body) throws SQLException {
        int seq;
        try (PreparedStatement select = transaction.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1"
                + " FROM flow_step_journal WHERE flow = ? AND business_id = ? AND attempt = ?")) {
            bind(select, run);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                seq = row.getInt(1);
            }
        }
        try (PreparedStatement insert = transaction.prepareStatement("INSERT INTO flow_step_journal (flow, business_id,"
                + " attempt, step, seq, idempotency_key, state, calls, compensation, undoes, request_url, request_body,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)")) {
            insert.setString(1, run.flow());
            insert.setString(2, run.businessId());
            insert.setInt(3, run.attempt());
            insert.setString(4, step);
            insert.setInt(5, seq);
            insert.setString(6, idempotencyKey(run, step));
            insert.setString(7, StepState.INTENT.name());
            insert.setString(8, compensation == null || compensation.isBlank() ? null : compensation);
            insert.setString(9, undoes == null || undoes.isBlank() ? null : undoes);
            insert.setString(10, url);
            insert.setString(11, personalData.encrypt(REQUEST_BODY, body));
            insert.setObject(12, now());
            insert.executeUpdate();
        }
    }

    private void outcome(Connection connection, Run run, String step, StepState state, String response, String error)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE flow_step_journal SET state = ?,"
                + " response = COALESCE(?, response), last_error = ?, updated_at = ?"
                + " WHERE flow = ? AND business_id = ? AND attempt = ? AND step = ?")) {
            update.setString(1, state.name());
            update.setString(2, personalData.encrypt(RESPONSE, response));
            update.setString(3, truncate(error));
            update.setObject(4, now());
            update.setString(5, run.flow());
            update.setString(6, run.businessId());
            update.setInt(7, run.attempt());
            update.setString(8, step);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("step " + step + " of " + run + " was never journaled");
            }
        }
    }

    private void attemptState(Connection connection, Run run, AttemptState state, String failure) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE flow_attempt SET state = ?,"
                + " failure = COALESCE(?, failure), updated_at = ? WHERE flow = ? AND business_id = ? AND attempt = ?")) {
            update.setString(1, state.name());
            update.setString(2, truncate(failure));
            update.setObject(3, now());
            update.setString(4, run.flow());
            update.setString(5, run.businessId());
            update.setInt(6, run.attempt());
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("attempt " + run + " was never started");
            }
        }
    }

    private static void bind(PreparedStatement statement, Run run) throws SQLException {
        statement.setString(1, run.flow());
        statement.setString(2, run.businessId());
        statement.setInt(3, run.attempt());
    }

    private Step step(ResultSet row) throws SQLException {
        return new Step(row.getString(1), row.getInt(2), row.getString(3), StepState.valueOf(row.getString(4)),
                row.getInt(5), row.getString(6), row.getString(7), row.getString(8),
                personalData.decrypt(REQUEST_BODY, row.getString(9)), personalData.decrypt(RESPONSE, row.getString(10)));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static String truncate(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

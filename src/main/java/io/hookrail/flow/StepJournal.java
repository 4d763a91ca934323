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
import io.hookrail.store.GroupCommit;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The step journal in the store (tables {@code flow_attempt} and {@code flow_step_journal}, ADR 6): the saga
 * attempts of a flow on a business id, and for each attempt the intent and outcome of every downstream call, each
 * committed before its caller goes on. Intents (here) and outcomes with their audit entries (in the audit trail's
 * writer) of steps that run at the same time share a transaction: one commit for many steps, the same durability.
 * <p>
 * One flow run of a business id at a time holds its flow key (see {@link FlowIdempotencyRepository}), so the rows of
 * one business id are never written concurrently.
 */
public final class StepJournal extends ServiceSupport {

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

    /** One saga attempt, on the version of its flow it started on. */
    public record Attempt(int number, AttemptState state, String eventId, String failure, String version) {
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

    private static final long COMMIT_TIMEOUT_MILLIS = 30_000;

    private final DataSource dataSource;
    private final AuditTrail audit;
    private final Clock clock;
    private final PersonalData personalData;
    private final int maxBatch;
    private final long lingerMicros;
    private volatile GroupCommit<Intent, Exception> intents;

    /** A journal that writes each intent on its own until it is started, in batches of up to 128 after. */
    public StepJournal(DataSource dataSource, AuditTrail audit, Clock clock, PersonalData personalData) {
        this(dataSource, audit, clock, personalData, 128, 0);
    }

    /**
     * @param maxBatch     the most intents one transaction commits
     * @param lingerMicros how long a batch waits for more after its first intent; 0: it takes what is waiting
     */
    public StepJournal(DataSource dataSource, AuditTrail audit, Clock clock, PersonalData personalData, int maxBatch,
                       long lingerMicros) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.clock = clock;
        this.personalData = personalData;
        this.maxBatch = maxBatch;
        this.lingerMicros = lingerMicros;
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
                "SELECT attempt, state, event_id, failure, version FROM flow_attempt WHERE flow = ? AND business_id = ?"
                        + " ORDER BY attempt DESC")) {
            select.setMaxRows(1);
            select.setString(1, flow);
            select.setString(2, businessId);
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? Optional.of(new Attempt(row.getInt(1), AttemptState.valueOf(row.getString(2)), row.getString(3),
                        row.getString(4), row.getString(5)))
                        : Optional.empty();
            }
        }
    }

    /** Starts attempt {@code number} of version 1 of the flow on the business id, for the given event. */
    public Attempt startAttempt(String flow, String businessId, int number, String eventId) throws SQLException {
        return startAttempt(flow, businessId, number, eventId, "1");
    }

    /** Starts attempt {@code number} of the flow's version on the business id, for the given event. */
    public Attempt startAttempt(String flow, String businessId, int number, String eventId, String version)
            throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO flow_attempt (flow, business_id, attempt, state, event_id, started_at, updated_at, version)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, flow);
            insert.setString(2, businessId);
            insert.setInt(3, number);
            insert.setString(4, AttemptState.RUNNING.name());
            insert.setString(5, eventId);
            insert.setObject(6, now());
            insert.setObject(7, now());
            insert.setString(8, version);
            insert.executeUpdate();
            return new Attempt(number, AttemptState.RUNNING, eventId, null, version);
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
     * While the journal runs, the intents of steps that start together are committed in one transaction; each caller
     * returns once its own is committed. Returns the step's Idempotency-Key.
     */
    public String intent(Run run, String step, String compensation, String undoes, String url, String body)
            throws SQLException {
        // encrypted here, on the step's thread, not on the one writer
        Intent intent = new Intent(run, step, blankToNull(compensation), blankToNull(undoes), url,
                personalData.encrypt(REQUEST_BODY, body), now());
        GroupCommit<Intent, Exception> group = intents;
        if (group == null) {
            GroupCommit.throwIfFailed(writeAlone(intent));
        } else {
            // a timeout: the intent may still commit; the step fails before its call and is tried again
            GroupCommit.submitOrThrow(group, intent, COMMIT_TIMEOUT_MILLIS, "step intent");
        }
        return idempotencyKey(run, step);
    }

    /** A step's intent waiting to be written, its request body already encrypted. */
    private record Intent(Run run, String step, String compensation, String undoes, String url, String storedBody,
                          OffsetDateTime at) {
    }

    @Override
    protected void doStart() {
        GroupCommit<Intent, Exception> group = new GroupCommit<>("step-journal-intents", maxBatch, lingerMicros,
                GroupCommit.eachFailingAlone("step intents", this::writeTogether, this::writeAlone));
        group.start();
        intents = group;
    }

    @Override
    protected void doStop() {
        GroupCommit<Intent, Exception> group = intents;
        intents = null;
        if (group != null) {
            group.stop();
        }
    }

    /** The batch in one transaction. */
    private void writeTogether(List<Intent> batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (Intent intent : batch) {
                    writeIntent(connection, intent);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** One intent in a transaction of its own; its failure, or null. */
    private Exception writeAlone(Intent intent) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                writeIntent(connection, intent);
                connection.commit();
                return null;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                return e;
            }
        } catch (SQLException e) {
            return e;
        }
    }

    private static void writeIntent(Connection transaction, Intent intent) throws SQLException {
        Run run = intent.run();
        try (PreparedStatement update = transaction.prepareStatement("UPDATE flow_step_journal"
                + " SET calls = calls + 1, state = CASE WHEN state = 'UNKNOWN' THEN state ELSE 'INTENT' END,"
                + " request_url = ?, request_body = ?, updated_at = ?"
                + " WHERE flow = ? AND business_id = ? AND attempt = ? AND step = ?")) {
            update.setString(1, intent.url());
            update.setString(2, intent.storedBody());
            update.setObject(3, intent.at());
            update.setString(4, run.flow());
            update.setString(5, run.businessId());
            update.setInt(6, run.attempt());
            update.setString(7, intent.step());
            if (update.executeUpdate() == 0) {
                insertIntent(transaction, intent);
            }
        }
    }

    /**
     * Records the step's response, and its audit entry, in one transaction: the audit trail's batch, committed with
     * the outcomes and entries of other steps that finished at the same time. Returns once it is committed.
     */
    public void done(Run run, String step, String response, String actor, String subject, String correlationId,
                     Map<String, ?> auditDetail) throws SQLException {
        AuditTrail.Entry entry = AuditTrail.Entry.of(actor, "downstream.call", subject, correlationId, auditDetail);
        // encrypted here, on the step's thread, not on the trail's one writer
        String stored = personalData.encrypt(RESPONSE, response);
        OffsetDateTime at = now();
        audit.record(transaction -> outcome(transaction, run, step, StepState.DONE, stored, null, at), entry);
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
            outcome(connection, run, step, StepState.COMPENSATED, null, null, now());
        }
    }

    private static void insertIntent(Connection transaction, Intent intent) throws SQLException {
        Run run = intent.run();
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
            insert.setString(4, intent.step());
            insert.setInt(5, seq);
            insert.setString(6, idempotencyKey(run, intent.step()));
            insert.setString(7, StepState.INTENT.name());
            insert.setString(8, intent.compensation());
            insert.setString(9, intent.undoes());
            insert.setString(10, intent.url());
            insert.setString(11, intent.storedBody());
            insert.setObject(12, intent.at());
            insert.executeUpdate();
        }
    }

    /** Sets the step's state and, unless null, its response (already encrypted). */
    private static void outcome(Connection connection, Run run, String step, StepState state, String storedResponse,
                                String error, OffsetDateTime at) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE flow_step_journal SET state = ?,"
                + " response = COALESCE(?, response), last_error = ?, updated_at = ?"
                + " WHERE flow = ? AND business_id = ? AND attempt = ? AND step = ?")) {
            update.setString(1, state.name());
            update.setString(2, storedResponse);
            update.setString(3, truncate(error));
            update.setObject(4, at);
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

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static String truncate(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

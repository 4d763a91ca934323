package io.hookrail.approval;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import io.hookrail.privacy.PersonalData;
import io.hookrail.store.SqlStates;

/**
 * The durable approvals, table {@code approval}: held events survive restarts and kills. One approval per flow,
 * business id and event data ({@code data_hash}): a decision covers the data it was asked for and nothing else.
 * <p>
 * Personal data is stored encrypted: {@code event} as the gate gives it (its personal fields encrypted, the form it
 * goes back on the broker in), {@code requested_by} and {@code decision_comment}, which this store encrypts and
 * decrypts.
 */
public final class ApprovalStore {

    /** The context of the encrypted {@code requested_by}. */
    static final String REQUESTED_BY = "approval.requested_by";
    /** The context of the encrypted {@code decision_comment}: an approver's free text may name a person. */
    static final String DECISION_COMMENT = "approval.decision_comment";
    private static final String COLUMNS = "id, flow, business_id, event_id, event_type, rule_id, reason, state,"
            + " requested_by, amount_minor, currency, event, data_hash, run, created_at, expires_at, decided_at,"
            + " decided_by, decision_comment, requester";

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration expiry;
    private final PersonalData personalData;

    public ApprovalStore(DataSource dataSource, Clock clock, Duration expiry, PersonalData personalData) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.expiry = expiry;
        this.personalData = personalData;
    }

    /**
     * Holds an event whose data hashes to {@code dataHash} ({@link Approval#dataHash}); a repeat of the same data for
     * the same flow and business id returns the approval already held. Other data gets an approval of its own.
     * {@code requester} is whom Hookrail authenticated as asking ({@link Approval#requester()}); {@code requestedBy}
     * only what the event claims.
     */
    public Approval hold(String flow, String businessId, String dataHash, String eventId, String eventType,
                         String ruleId, String reason, String requestedBy, Long amountMinor, String currency,
                         String event, int run, String requester) throws SQLException {
        Objects.requireNonNull(dataHash, "an approval is held for the hash of its event's data");
        // a row held before the hash was stored has none: the unique constraint cannot see it, this can
        Optional<Approval> held = findByEvent(flow, businessId, dataHash);
        if (held.isPresent()) {
            return held.get();
        }
        Instant now = clock.instant();
        String id = "APR-" + UUID.randomUUID();
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO approval (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL,"
                        + " NULL, ?)")) {
            insert.setString(1, id);
            insert.setString(2, flow);
            insert.setString(3, businessId);
            insert.setString(4, eventId);
            insert.setString(5, eventType);
            insert.setString(6, ruleId);
            insert.setString(7, reason);
            insert.setString(8, Approval.State.PENDING.name());
            insert.setString(9, personalData.encrypt(REQUESTED_BY, requestedBy));
            if (amountMinor == null) {
                insert.setNull(10, Types.BIGINT);
            } else {
                insert.setLong(10, amountMinor);
            }
            insert.setString(11, currency);
            insert.setString(12, event);
            insert.setString(13, dataHash);
            insert.setInt(14, run);
            insert.setObject(15, utc(now));
            insert.setObject(16, utc(now.plus(expiry)));
            insert.setString(17, requester);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!SqlStates.isUniqueViolation(e)) {
                throw e;
            }
        }
        return findByEvent(flow, businessId, dataHash).orElseThrow();
    }

    public Optional<Approval> find(String id) throws SQLException {
        return one("SELECT " + COLUMNS + " FROM approval WHERE id = ?", id);
    }

    /**
     * The approval of exactly this event: of the flow, the business id and the event data's hash. An approval held
     * before the hash was stored (no {@code data_hash}) is matched by hashing the event it stored.
     */
    public Optional<Approval> findByEvent(String flow, String businessId, String dataHash) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM approval WHERE flow = ? AND business_id = ?"
                        + " AND (data_hash = ? OR data_hash IS NULL) ORDER BY created_at, id")) {
            select.setString(1, flow);
            select.setString(2, businessId);
            select.setString(3, dataHash);
            Approval legacy = null;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Approval approval = read(rows);
                    if (approval.dataHash() != null) {
                        return Optional.of(approval);
                    }
                    if (legacy == null && approval.covers(dataHash)) {
                        legacy = approval;
                    }
                }
            }
            return Optional.ofNullable(legacy);
        }
    }

    /** Approvals in a state and flow (either may be null), created before the instant (may be null), oldest first. */
    public List<Approval> list(String state, String flow, Instant createdBefore) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM approval WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (state != null) {
            sql.append(" AND state = ?");
            parameters.add(state);
        }
        if (flow != null) {
            sql.append(" AND flow = ?");
            parameters.add(flow);
        }
        if (createdBefore != null) {
            sql.append(" AND created_at < ?");
            parameters.add(utc(createdBefore));
        }
        sql.append(" ORDER BY created_at, id");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            List<Approval> approvals = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    approvals.add(read(rows));
                }
            }
            return approvals;
        }
    }

    /** How many approvals of one flow wait for a decision, and since when the oldest of them waits. */
    public record Pending(String flow, long count, Instant oldestCreatedAt) {
    }

    /** The pending approvals of every flow that has any, by flow name. */
    public List<Pending> pendingByFlow() throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT flow, COUNT(*) AS pending, MIN(created_at) AS oldest FROM approval WHERE state = ?"
                        + " GROUP BY flow ORDER BY flow")) {
            select.setString(1, Approval.State.PENDING.name());
            List<Pending> pending = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    pending.add(new Pending(rows.getString("flow"), rows.getLong("pending"), instant(rows, "oldest")));
                }
            }
            return pending;
        }
    }

    /**
     * Moves a pending approval to its decision inside the caller's transaction; false when it is no longer pending
     * (decided or expired meanwhile): of two racing decisions, exactly one gets true.
     */
    boolean decide(Connection transaction, String id, Approval.State decision, String user, String comment)
            throws SQLException {
        try (PreparedStatement update = transaction.prepareStatement("UPDATE approval SET state = ?, decided_at = ?,"
                + " decided_by = ?, decision_comment = ? WHERE id = ? AND state = ?")) {
            update.setString(1, decision.name());
            update.setObject(2, utc(clock.instant()));
            update.setString(3, user);
            update.setString(4, personalData.encrypt(DECISION_COMMENT, comment));
            update.setString(5, id);
            update.setString(6, Approval.State.PENDING.name());
            return update.executeUpdate() == 1;
        }
    }

    /** Pending approvals past their expiry, oldest first. */
    List<Approval> overdue() throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM approval WHERE state = ? AND expires_at < ? ORDER BY expires_at")) {
            select.setString(1, Approval.State.PENDING.name());
            select.setObject(2, utc(clock.instant()));
            List<Approval> approvals = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    approvals.add(read(rows));
                }
            }
            return approvals;
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    private Optional<Approval> one(String sql, String... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private Approval read(ResultSet row) throws SQLException {
        return new Approval(row.getString("id"), row.getString("flow"), row.getString("business_id"),
                row.getString("event_id"), row.getString("event_type"), row.getString("rule_id"), row.getString("reason"),
                Approval.State.valueOf(row.getString("state")),
                personalData.decrypt(REQUESTED_BY, row.getString("requested_by")),
                row.getObject("amount_minor", Long.class), row.getString("currency"), row.getString("event"),
                row.getString("data_hash"), row.getInt("run"),
                instant(row, "created_at"), instant(row, "expires_at"), instant(row, "decided_at"),
                row.getString("decided_by"), personalData.decrypt(DECISION_COMMENT, row.getString("decision_comment")),
                row.getString("requester"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

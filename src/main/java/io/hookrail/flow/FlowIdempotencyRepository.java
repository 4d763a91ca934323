package io.hookrail.flow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import io.hookrail.store.SqlStates;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The flows' Idempotent Consumer repository, crash-safe on the JDBC store.
 * <p>
 * Camel's {@code JdbcMessageIdRepository} keeps a key forever once added, so a process that dies mid-flow blocks
 * the event for good; its orphan-lock variant ages out completed keys too, so an old event runs again. Here a key
 * is IN_PROGRESS (with owner and heartbeat) until the flow ends, then COMPLETED:
 * <ul>
 * <li>COMPLETED: a duplicate, skipped;</li>
 * <li>IN_PROGRESS by a live owner: {@link FlowKeyBusyException}, so the message goes back to the broker and comes
 * again later, never running twice at once;</li>
 * <li>IN_PROGRESS by an owner silent for longer than the lease: taken over. An instance restarting with its own
 * id ({@code io.hookrail.ops.InstanceIdentity}: the same host and port, or {@code hookrail.instance.id}) adopts its
 * own keys at once ({@link #orphanKeysOfPreviousRun()}).</li>
 * </ul>
 * Only the key's owner confirms or removes it: an instance that lost a key to another (after the lease) cannot
 * complete or free what the other now runs. A store failure is thrown, never swallowed; the flows also confirm and
 * remove their key in the route ({@link FlowRun}), so such a failure fails the run, which is retried. A
 * dead-lettered run removes its key, so a replay runs again. Saga attempts live in the step journal, not here.
 */
@ManagedResource(description = "Flow idempotency keys (business key plus operation)")
public final class FlowIdempotencyRepository extends ServiceSupport implements IdempotentRepository {

    private static final String IN_PROGRESS = "IN_PROGRESS";
    private static final String COMPLETED = "COMPLETED";
    private static final String ORPHANED = "ORPHANED";

    private final DataSource dataSource;
    private final String owner;
    private final Duration lease;
    private final Clock clock;

    public FlowIdempotencyRepository(DataSource dataSource, String owner, Duration lease, Clock clock) {
        this.dataSource = dataSource;
        this.owner = owner;
        this.lease = lease;
        this.clock = clock;
    }

    @Override
    public boolean add(String key) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO flow_idempotency (idempotency_key, state, owner, heartbeat_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, key);
                insert.setString(2, IN_PROGRESS);
                insert.setString(3, owner);
                insert.setObject(4, now());
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (!SqlStates.isUniqueViolation(e)) {
                    throw e;
                }
            }
            if (isCompleted(connection, key)) {
                return false;
            }
            if (adopt(connection, key)) {
                return true;
            }
            throw new FlowKeyBusyException(key);
        } catch (SQLException e) {
            throw new IllegalStateException("flow idempotency store unavailable", e);
        }
    }

    @Override
    public boolean contains(String key) {
        try (Connection connection = dataSource.getConnection()) {
            return isCompleted(connection, key);
        } catch (SQLException e) {
            throw new IllegalStateException("flow idempotency store unavailable", e);
        }
    }

    /** Completes the key this instance holds; false when it does not hold it (any more). */
    @Override
    public boolean confirm(String key) {
        return update("UPDATE flow_idempotency SET state = ?, completed_at = ?"
                + " WHERE idempotency_key = ? AND owner = ? AND state = ?", COMPLETED, now(), key, owner, IN_PROGRESS) > 0;
    }

    /** Frees the key this instance holds, so the event can run again; false when it does not hold it. */
    @Override
    public boolean remove(String key) {
        return update("DELETE FROM flow_idempotency WHERE idempotency_key = ? AND owner = ? AND state <> ?", key, owner,
                COMPLETED) > 0;
    }

    /** An operator's way out: forgets the key whoever holds it, so its event can run again. */
    @ManagedOperation(description = "Forget a business key whoever holds it, so its event can run again")
    public boolean forget(String key) {
        return update("DELETE FROM flow_idempotency WHERE idempotency_key = ?", key) > 0;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("flow idempotency keys are never cleared wholesale");
    }

    /** Refreshes the heartbeat of every key this instance holds; run well within the lease. */
    public int heartbeat() {
        return update("UPDATE flow_idempotency SET heartbeat_at = ? WHERE owner = ? AND state = ?", now(), owner,
                IN_PROGRESS);
    }

    /**
     * Marks the keys this instance held when it last stopped without finishing them (a kill) as orphaned: their
     * messages are back on the broker and run again at once, keeping their saga attempt. Call before any flow
     * consumes.
     */
    public int orphanKeysOfPreviousRun() {
        return update("UPDATE flow_idempotency SET state = ? WHERE owner = ? AND state = ?", ORPHANED, owner,
                IN_PROGRESS);
    }

    /** Forgets completed keys older than the retention. */
    @ManagedOperation(description = "Forget completed keys older than the given ISO-8601 duration")
    public int purgeCompletedOlderThan(String retention) {
        OffsetDateTime cutoff = now().minus(Duration.parse(retention));
        return update("DELETE FROM flow_idempotency WHERE state = ? AND completed_at < ?", COMPLETED, cutoff);
    }

    private boolean isCompleted(Connection connection, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT state FROM flow_idempotency WHERE idempotency_key = ?")) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() && COMPLETED.equals(row.getString(1));
            }
        }
    }

    /** Takes an orphaned key, or one whose owner has been silent for longer than the lease. */
    private boolean adopt(Connection connection, String key) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE flow_idempotency"
                + " SET state = ?, owner = ?, heartbeat_at = ?"
                + " WHERE idempotency_key = ? AND (state = ? OR (state = ? AND heartbeat_at < ?))")) {
            update.setString(1, IN_PROGRESS);
            update.setString(2, owner);
            update.setObject(3, now());
            update.setString(4, key);
            update.setString(5, ORPHANED);
            update.setString(6, IN_PROGRESS);
            update.setObject(7, now().minus(lease));
            return update.executeUpdate() == 1;
        }
    }

    private int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("flow idempotency store unavailable", e);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}

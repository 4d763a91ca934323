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
import java.util.Optional;

import javax.sql.DataSource;

import io.hookrail.store.GroupCommit;
import io.hookrail.store.SqlStates;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The sandbox's idempotency keys, one row per (system, key) in table {@code sandbox_idempotency}: the first call with
 * a key performs its effect and stores its response in one transaction; every later call gets that response back.
 */
final class SandboxIdempotency extends ServiceSupport {

    /** A response as it was first answered. */
    record Response(int status, String body) {
    }

    /** The stored response of the call that performed its effect with a key, and when it did. */
    record Stored(Response response, Instant at) {
    }

    /** What became of a call. */
    record Outcome(Kind kind, Response response) {

        enum Kind {
            /** The key was new: the effect happened now. */
            PERFORMED,
            /** The key was used before with the same request: the stored response, no new effect. */
            REPLAYED,
            /** The key was used before with a different request: nothing happened. */
            CONFLICT
        }
    }

    /** The side effect of a call, run inside the transaction that claims its key. */
    @FunctionalInterface
    interface Effect {
        void perform(Connection transaction) throws SQLException;
    }

    /** A call waiting for the batch that claims its key: its outcome, or its failure. */
    private record Claim(String system, String key, String requestHash, Response response, Instant at, Effect effect) {
    }

    private record Result(Outcome outcome, Exception failure) {
    }

    private static final long COMMIT_TIMEOUT_MILLIS = 30_000;
    private static final int MAX_BATCH = 128;

    private final DataSource dataSource;
    private volatile GroupCommit<Claim, Result> batches;

    SandboxIdempotency(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * While running, the calls with new keys that arrive together are claimed and performed in one transaction (one
     * commit for all, the fake systems writing their ledger as fast as Hookrail's flows call them); each call is
     * answered once its own claim is committed. A batch in which a key was claimed before (a repeat) or anything
     * failed is done again call by call.
     */
    @Override
    protected void doStart() {
        GroupCommit<Claim, Result> group = new GroupCommit<>("sandbox-idempotency", MAX_BATCH, 0, this::claimAll);
        group.start();
        batches = group;
    }

    @Override
    protected void doStop() {
        GroupCommit<Claim, Result> group = batches;
        batches = null;
        if (group != null) {
            group.stop();
        }
    }

    /**
     * Performs the effect unless the key was claimed before, and stores the response with the key in the same
     * transaction, so an effect without its stored response (or the reverse) cannot exist.
     * <p>
     * Concurrent calls with one key serialise on the primary key: the second insert waits on the first's uncommitted
     * row, then fails once it commits, and the second call reads the stored response.
     */
    Outcome once(String system, String key, String requestHash, Response response, Instant at, Effect effect)
            throws Exception {
        GroupCommit<Claim, Result> group = batches;
        if (group == null) {
            return onceAlone(system, key, requestHash, response, at, effect);
        }
        Result result = group.submit(new Claim(system, key, requestHash, response, at, effect), COMMIT_TIMEOUT_MILLIS);
        if (result.failure() != null) {
            throw result.failure();
        }
        return result.outcome();
    }

    private List<Result> claimAll(List<Claim> batch) {
        List<Result> results = new ArrayList<>(batch.size());
        if (batch.size() > 1) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    for (Claim claim : batch) {
                        if (!claim(connection, claim.system(), claim.key(), claim.requestHash(), claim.response(),
                                claim.at())) {
                            throw new SQLException("key " + claim.key() + " was claimed before");
                        }
                        claim.effect().perform(connection);
                    }
                    connection.commit();
                    batch.forEach(claim -> results.add(new Result(new Outcome(Outcome.Kind.PERFORMED, claim.response()),
                            null)));
                    return results;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            } catch (SQLException | RuntimeException e) {
                // a repeat, or a failure: call by call, as each would have gone alone
            }
        }
        for (Claim claim : batch) {
            try {
                results.add(new Result(onceAlone(claim.system(), claim.key(), claim.requestHash(), claim.response(),
                        claim.at(), claim.effect()), null));
            } catch (SQLException | RuntimeException e) {
                results.add(new Result(null, e));
            }
        }
        return results;
    }

    private Outcome onceAlone(String system, String key, String requestHash, Response response, Instant at,
                              Effect effect) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (claim(connection, system, key, requestHash, response, at)) {
                    effect.perform(connection);
                    connection.commit();
                    return new Outcome(Outcome.Kind.PERFORMED, response);
                }
                // PostgreSQL aborts the transaction at the failed insert: start a clean one to read the winner's row
                connection.rollback();
                Outcome earlier = earlier(connection, system, key, requestHash);
                connection.commit();
                return earlier;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** The stored response of the call with this key, if one performed its effect; read-only. */
    Optional<Stored> find(String system, String key) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT response_status, response_body, created_at "
                     + "FROM sandbox_idempotency WHERE system = ? AND idempotency_key = ?")) {
            select.setString(1, system);
            select.setString(2, key);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Stored(new Response(row.getInt(1), row.getString(2)),
                        row.getObject(3, OffsetDateTime.class).toInstant()));
            }
        }
    }

    private static boolean claim(Connection transaction, String system, String key, String requestHash,
                                 Response response, Instant at) throws SQLException {
        try (PreparedStatement insert = transaction.prepareStatement("INSERT INTO sandbox_idempotency "
                + "(system, idempotency_key, request_hash, response_status, response_body, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, system);
            insert.setString(2, key);
            insert.setString(3, requestHash);
            insert.setInt(4, response.status());
            insert.setString(5, response.body());
            insert.setObject(6, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (SqlStates.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    private static Outcome earlier(Connection connection, String system, String key, String requestHash)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT request_hash, response_status, response_body "
                + "FROM sandbox_idempotency WHERE system = ? AND idempotency_key = ?")) {
            select.setString(1, system);
            select.setString(2, key);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    // rows are never deleted, so a key that collided is there
                    throw new IllegalStateException("Idempotency key " + key + " of " + system + " collided but is missing");
                }
                Response stored = new Response(row.getInt(2), row.getString(3));
                return new Outcome(requestHash.equals(row.getString(1)) ? Outcome.Kind.REPLAYED : Outcome.Kind.CONFLICT,
                        stored);
            }
        }
    }
}

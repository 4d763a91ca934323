package io.hookrail.flow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import javax.sql.DataSource;

import io.hookrail.audit.AuditTrail;
import io.hookrail.flow.FlowRollout.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollouts of the flows' versions (ADR 11), in the store (table {@code flow_rollout}) so every instance routes
 * new runs alike and a promotion or a rollback outlives a restart. A flow's rollout is configured by
 * {@code hookrail.flow.<flow>.candidate.version} and {@code .share}; while that configuration stays the same its
 * stored state (promoted, rolled back) holds, and a new configuration starts a new rollout. Every change of state is
 * audited in the transaction that makes it.
 * <p>
 * The rollout monitor ({@link #monitor()}, a singleton job) rolls a canary back when its failure rate (attempts
 * compensated, of those finished since the rollout began) exceeds the stable version's by more than the margin,
 * once the candidate has finished the minimum sample.
 */
public final class FlowRollouts {

    /** The registry name of the bean. */
    public static final String BEAN = "flowRollouts";
    /** The actor of the rollout monitor's rollbacks in the audit trail. */
    public static final String MONITOR_ACTOR = "rollout-monitor";
    private static final Logger LOG = LoggerFactory.getLogger(FlowRollouts.class);
    private static final String COLUMNS = "flow, stable_version, candidate_version, share, mode, state, reason, started_at";

    /** The attempts a version finished since its rollout began. */
    public record Finished(int completed, int compensated) {

        static final Finished NONE = new Finished(0, 0);

        public int total() {
            return completed + compensated;
        }

        public double failureRate() {
            return total() == 0 ? 0 : (double) compensated / total();
        }
    }

    private final DataSource dataSource;
    private final AuditTrail audit;
    private final Clock clock;
    private final Function<String, FlowRollout> configured;
    private final int minimumSample;
    private final double failureMargin;
    private final ConcurrentMap<String, FlowRollout> current = new ConcurrentHashMap<>();

    /**
     * @param configured    the rollout a flow's configuration asks for, by flow (state STABLE or CANARY)
     * @param minimumSample the runs a canary finishes before the monitor judges it
     * @param failureMargin how far (a fraction, 0.1 = 10 points) its failure rate may exceed the stable version's
     */
    public FlowRollouts(DataSource dataSource, AuditTrail audit, Clock clock, Function<String, FlowRollout> configured,
                        int minimumSample, double failureMargin) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.clock = clock;
        this.configured = configured;
        this.minimumSample = minimumSample;
        this.failureMargin = failureMargin;
    }

    /** The flow's rollout as this instance last read it; read, or started as configured, the first time. */
    public FlowRollout of(String flow) {
        return current.computeIfAbsent(flow, this::load);
    }

    /**
     * The flow's rollout for a run of its entry at this stable version: read again when the entry's version is not
     * the one the rollout knows (the flow's file was reloaded with another version).
     */
    public FlowRollout of(String flow, String stableVersion) {
        FlowRollout rollout = of(flow);
        if (rollout.stableVersion().equals(stableVersion)) {
            return rollout;
        }
        return current.compute(flow, (name, known) -> known != null && known.stableVersion().equals(stableVersion)
                ? known : load(name));
    }

    /** Reads again the rollouts this instance knows, so another instance's promotion or rollback reaches it. */
    public void refresh() throws SQLException {
        for (String flow : List.copyOf(current.keySet())) {
            FlowRollout wanted = configured.apply(flow);
            select(flow).filter(stored -> stored.sameConfiguration(wanted)).ifPresent(stored -> current.put(flow, stored));
        }
    }

    /** The candidate takes every new run; from a canary, a shadow or a rollback. */
    public FlowRollout promote(String flow, String actor, String reason, String correlationId) throws SQLException {
        return change(flow, State.PROMOTED, List.of(State.CANARY, State.SHADOW, State.ROLLED_BACK), actor, "flow.promoted",
                reason == null ? "promoted by " + actor : reason, correlationId);
    }

    /** The candidate takes no new run; its runs under way finish on it. From a canary or a promotion. */
    public FlowRollout rollback(String flow, String actor, String reason, String correlationId) throws SQLException {
        return change(flow, State.ROLLED_BACK, List.of(State.CANARY, State.PROMOTED), actor, "flow.rolled-back",
                reason == null ? "rolled back by " + actor : reason, correlationId);
    }

    /** The attempts each version of the flow finished since its rollout began. */
    public Map<String, Finished> finished(String flow) throws SQLException {
        FlowRollout rollout = of(flow);
        Map<String, int[]> counts = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT version, state, COUNT(*) FROM flow_attempt WHERE flow = ? AND started_at >= ?"
                        + " AND state IN ('COMPLETED', 'COMPENSATING', 'COMPENSATED') GROUP BY version, state")) {
            select.setString(1, flow);
            select.setObject(2, utc(rollout.startedAt()));
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    int[] count = counts.computeIfAbsent(row.getString(1), version -> new int[2]);
                    count[StepJournal.AttemptState.COMPLETED.name().equals(row.getString(2)) ? 0 : 1] += row.getInt(3);
                }
            }
        }
        Map<String, Finished> finished = new LinkedHashMap<>();
        counts.forEach((version, count) -> finished.put(version, new Finished(count[0], count[1])));
        return finished;
    }

    /** Rolls back every canary that fails more than its stable version; returns the flows rolled back. */
    public List<String> monitor() throws SQLException {
        List<String> rolledBack = new java.util.ArrayList<>();
        for (FlowRollout rollout : canaries()) {
            Map<String, Finished> finished = finished(rollout.flow());
            Optional<String> verdict = verdict(finished.getOrDefault(rollout.stableVersion(), Finished.NONE),
                    finished.getOrDefault(rollout.candidateVersion(), Finished.NONE), rollout, minimumSample,
                    failureMargin);
            if (verdict.isPresent()) {
                try {
                    rollback(rollout.flow(), MONITOR_ACTOR, verdict.get(), null);
                    rolledBack.add(rollout.flow());
                } catch (IllegalStateException changedMeanwhile) {
                    LOG.info("Rollout of {} changed before the monitor could roll it back: {}", rollout.flow(),
                            changedMeanwhile.getMessage());
                }
            }
        }
        return rolledBack;
    }

    /**
     * Why the canary must be rolled back, if it must: it finished the minimum sample and its failure rate exceeds
     * the stable version's by more than the margin.
     */
    static Optional<String> verdict(Finished stable, Finished candidate, FlowRollout rollout, int minimumSample,
                                    double failureMargin) {
        if (candidate.total() < minimumSample || candidate.failureRate() <= stable.failureRate() + failureMargin) {
            return Optional.empty();
        }
        return Optional.of(String.format(java.util.Locale.ROOT,
                "version %s failed %d of %d runs (%.1f %%), version %s %d of %d (%.1f %%): more than %.1f points worse",
                rollout.candidateVersion(), candidate.compensated(), candidate.total(), 100 * candidate.failureRate(),
                rollout.stableVersion(), stable.compensated(), stable.total(), 100 * stable.failureRate(),
                100 * failureMargin));
    }

    private FlowRollout change(String flow, State to, List<State> from, String actor, String action, String reason,
                               String correlationId) throws SQLException {
        FlowRollout before = select(flow).filter(stored -> stored.sameConfiguration(configured.apply(flow)))
                .orElseGet(() -> of(flow));
        if (!from.contains(before.state())) {
            throw new IllegalStateException("flow " + flow + " is " + before.state().name().toLowerCase(java.util.Locale.ROOT)
                    + (FlowRollout.NONE.equals(before.candidateVersion()) ? " with no candidate version" : "")
                    + "; it can be " + (to == State.PROMOTED ? "promoted" : "rolled back") + " only when "
                    + String.join(" or ", from.stream().map(s -> s.name().toLowerCase(java.util.Locale.ROOT)).toList()));
        }
        FlowRollout after = before.withState(to, reason);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement update = connection.prepareStatement("UPDATE flow_rollout SET state = ?, reason = ?,"
                    + " updated_at = ? WHERE flow = ? AND state = ? AND started_at = ?")) {
                update.setString(1, to.name());
                update.setString(2, truncated(reason));
                update.setObject(3, utc(clock.instant()));
                update.setString(4, flow);
                update.setString(5, before.state().name());
                update.setObject(6, utc(before.startedAt()));
                if (update.executeUpdate() != 1) {
                    connection.rollback();
                    throw new IllegalStateException("the rollout of flow " + flow + " changed meanwhile; read it again");
                }
                audit.append(connection, actor, action, flow, correlationId, detail(after));
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        current.put(flow, after);
        LOG.warn("Flow {} version {} {}: {}", flow, after.candidateVersion(),
                to == State.PROMOTED ? "promoted" : "rolled back", reason);
        return after;
    }

    /** The stored rollout if it is the configured one, else the configured one, stored and audited as begun. */
    private FlowRollout load(String flow) {
        FlowRollout wanted = configured.apply(flow);
        try {
            Optional<FlowRollout> stored = select(flow);
            if (stored.isPresent() && stored.get().sameConfiguration(wanted)) {
                return stored.get();
            }
            FlowRollout begun = new FlowRollout(wanted.flow(), wanted.stableVersion(), wanted.candidateVersion(),
                    wanted.share(), wanted.mode(), wanted.state(), null, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            if (!store(begun, stored.orElse(null))) {
                // another instance began the same rollout at the same moment
                return select(flow).orElseThrow();
            }
            if (stored.isPresent() || begun.state() != State.STABLE) {
                LOG.info("Flow {} rollout: stable version {}{}", flow, begun.stableVersion(), switch (begun.state()) {
                    case CANARY -> ", candidate " + begun.candidateVersion() + " for " + begun.share() + " % of new runs";
                    case SHADOW -> ", candidate " + begun.candidateVersion() + " in its shadow, against the sandbox";
                    default -> "";
                });
            }
            return begun;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the rollout of flow " + flow + ": " + e.getMessage(), e);
        }
    }

    private boolean store(FlowRollout rollout, FlowRollout replaced) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int rows;
                if (replaced == null) {
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO flow_rollout (" + COLUMNS
                            + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                        bind(insert, rollout);
                        insert.setObject(9, utc(rollout.startedAt()));
                        rows = insert.executeUpdate();
                    }
                } else {
                    try (PreparedStatement update = connection.prepareStatement("UPDATE flow_rollout SET"
                            + " stable_version = ?, candidate_version = ?, share = ?, mode = ?, state = ?, reason = ?,"
                            + " started_at = ?, updated_at = ? WHERE flow = ? AND started_at = ?")) {
                        update.setString(1, rollout.stableVersion());
                        update.setString(2, rollout.candidateVersion());
                        update.setInt(3, rollout.share());
                        update.setString(4, rollout.mode().name());
                        update.setString(5, rollout.state().name());
                        update.setString(6, rollout.reason());
                        update.setObject(7, utc(rollout.startedAt()));
                        update.setObject(8, utc(rollout.startedAt()));
                        update.setString(9, rollout.flow());
                        update.setObject(10, utc(replaced.startedAt()));
                        rows = update.executeUpdate();
                    }
                }
                if (rows != 1) {
                    connection.rollback();
                    return false;
                }
                // a flow's first rollout of its stable version alone is no news; every other one is a switch
                if (replaced != null || rollout.state() != State.STABLE) {
                    audit.append(connection, "configuration", "flow.rollout", rollout.flow(), null, detail(rollout));
                }
                connection.commit();
                return true;
            } catch (SQLException e) {
                connection.rollback();
                if (replaced == null && e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    return false;
                }
                throw e;
            }
        }
    }

    private List<FlowRollout> canaries() throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM flow_rollout WHERE state = ?")) {
            select.setString(1, State.CANARY.name());
            return rows(select);
        }
    }

    private Optional<FlowRollout> select(String flow) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM flow_rollout WHERE flow = ?")) {
            select.setString(1, flow);
            return rows(select).stream().findFirst();
        }
    }

    private static List<FlowRollout> rows(PreparedStatement select) throws SQLException {
        List<FlowRollout> rollouts = new java.util.ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                rollouts.add(new FlowRollout(row.getString(1), row.getString(2), row.getString(3), row.getInt(4),
                        FlowRollout.Mode.valueOf(row.getString(5)), State.valueOf(row.getString(6)), row.getString(7),
                        row.getObject(8, OffsetDateTime.class).toInstant()));
            }
        }
        return rollouts;
    }

    private static void bind(PreparedStatement statement, FlowRollout rollout) throws SQLException {
        statement.setString(1, rollout.flow());
        statement.setString(2, rollout.stableVersion());
        statement.setString(3, rollout.candidateVersion());
        statement.setInt(4, rollout.share());
        statement.setString(5, rollout.mode().name());
        statement.setString(6, rollout.state().name());
        statement.setString(7, truncated(rollout.reason()));
        statement.setObject(8, utc(rollout.startedAt()));
    }

    private static Map<String, Object> detail(FlowRollout rollout) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("stableVersion", rollout.stableVersion());
        detail.put("candidateVersion", rollout.candidateVersion());
        detail.put("share", rollout.share());
        detail.put("mode", rollout.mode().name().toLowerCase(java.util.Locale.ROOT));
        detail.put("state", rollout.state().name().toLowerCase(java.util.Locale.ROOT));
        if (rollout.reason() != null) {
            detail.put("reason", rollout.reason());
        }
        return detail;
    }

    private static String truncated(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 1997) + "...";
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}

package io.hookrail.anomaly;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import io.hookrail.ops.metrics.HookrailMetrics;

/**
 * Judges the volume of every source's event type with the {@link VolumeModel} and sets the {@code hookrail_volume_*}
 * gauges: the accepted events of the hour before now ({@code ingest_receipt.received_at}, which is indexed), of the
 * same hour a week before, and of each of the {@code recentHours} hours before the last one. The hours are the
 * sliding hours ending at now, not clock hours, so a check early in a UTC hour does not see a drop in a part-hour.
 */
public final class VolumeCheck {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration WEEK = Duration.ofDays(7);

    /** A source's event type, the gauges' labels. */
    record SourceType(String source, String type) implements Comparable<SourceType> {
        @Override
        public int compareTo(SourceType other) {
            int bySource = source.compareTo(other.source);
            return bySource != 0 ? bySource : type.compareTo(other.type);
        }
    }

    private final DataSource dataSource;
    private final HookrailMetrics metrics;
    private final VolumeModel model;
    private final int recentHours;
    private final Clock clock;
    /** Every pair ever judged here, so one that went silent in every window is shown at 0, not frozen. */
    private final Set<SourceType> judged = new TreeSet<>();

    public VolumeCheck(DataSource dataSource, HookrailMetrics metrics, VolumeModel model, int recentHours,
                       Clock clock) {
        if (recentHours < 1) {
            throw new IllegalArgumentException("hookrail.volume.recentHours must be 1 or more, not " + recentHours);
        }
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.model = model;
        this.recentHours = recentHours;
        this.clock = clock;
    }

    /** Judges the hour before now; returns the verdicts by source and type. */
    public synchronized Map<SourceType, VolumeModel.Judgement> run() throws SQLException {
        Instant now = clock.instant();
        Map<SourceType, Long> observed;
        Map<SourceType, Long> lastWeek;
        boolean weekOfHistory;
        List<Map<SourceType, Long>> recent = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            observed = counts(connection, now.minus(HOUR), now);
            lastWeek = counts(connection, now.minus(WEEK).minus(HOUR), now.minus(WEEK));
            weekOfHistory = receivedSince(connection, now.minus(WEEK).minus(HOUR));
            for (int k = recentHours; k >= 1; k--) { // oldest first
                Instant end = now.minus(HOUR.multipliedBy(k));
                recent.add(counts(connection, end.minus(HOUR), end));
            }
        }
        judged.addAll(observed.keySet());
        judged.addAll(lastWeek.keySet());
        recent.forEach(hour -> judged.addAll(hour.keySet()));
        Map<SourceType, VolumeModel.Judgement> verdicts = new HashMap<>();
        for (SourceType pair : judged) {
            List<Long> hours = recent.stream().map(hour -> hour.getOrDefault(pair, 0L)).toList();
            VolumeModel.Judgement verdict = model.judge(observed.getOrDefault(pair, 0L),
                    weekOfHistory ? lastWeek.getOrDefault(pair, 0L) : null, hours);
            metrics.volume(pair.source(), pair.type(), verdict.observed(), verdict.expected(), verdict.drop(),
                    verdict.spike());
            verdicts.put(pair, verdict);
        }
        return verdicts;
    }

    /** Shows every judged pair with no anomaly: this instance does not hold the scheduled check (ADR 9). */
    public synchronized void standBy() {
        judged.forEach(pair -> metrics.volume(pair.source(), pair.type(), 0, 0, false, false));
    }

    /** Whether the store holds receipts from the instant on (or before): a zero then means none came. */
    private static boolean receivedSince(Connection connection, Instant at) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT MIN(received_at) FROM ingest_receipt");
             ResultSet row = select.executeQuery()) {
            OffsetDateTime first = row.next() ? row.getObject(1, OffsetDateTime.class) : null;
            return first != null && !first.toInstant().isAfter(at);
        }
    }

    private static Map<SourceType, Long> counts(Connection connection, Instant from, Instant to) throws SQLException {
        Map<SourceType, Long> counts = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT source, event_type, COUNT(*)"
                + " FROM ingest_receipt WHERE received_at >= ? AND received_at < ? GROUP BY source, event_type")) {
            select.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            select.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(new SourceType(rows.getString(1), rows.getString(2)), rows.getLong(3));
                }
            }
        }
        return counts;
    }
}

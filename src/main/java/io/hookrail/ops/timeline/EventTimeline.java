package io.hookrail.ops.timeline;

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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.hookrail.flow.FlowContext;
import io.hookrail.ops.logging.PersonalDataMasking;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event timeline (table {@code event_timeline}): every step each event took, for an operator asking "what
 * happened to this event?". Recording never touches the store on the caller's thread: entries wait in a bounded
 * queue and one writer inserts them in batches. The timeline is diagnostic, not the source of truth (the broker, the
 * flow keys and the audit trail are), so when the queue is full an entry is dropped and counted rather than slowing
 * a webhook or a flow down.
 */
public final class EventTimeline extends ServiceSupport implements CamelContextAware {

    /** The registry name of the bean. */
    public static final String BEAN = "eventTimeline";

    private static final Logger LOG = LoggerFactory.getLogger(EventTimeline.class);
    private static final int BATCH = 500;
    private static final String COLUMNS = "event_id, correlation_id, at, kind, flow, step, outcome, duration_ms, detail, version";

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration retention;
    private final long flushMillis;
    private final BlockingQueue<TimelineEntry> pending;
    private final AtomicLong dropped = new AtomicLong();
    private CamelContext camelContext;
    private ScheduledExecutorService writer;

    public EventTimeline(DataSource dataSource, Clock clock, Duration retention, long flushMillis, int capacity) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.retention = retention;
        this.flushMillis = flushMillis;
        this.pending = new ArrayBlockingQueue<>(capacity);
    }

    /** Records a step of an event, now; an entry without an event id has nothing to belong to and is ignored. */
    public void record(String eventId, String correlationId, String kind, String flow, String step, String outcome,
                       Long durationMillis, String detail) {
        record(clock.instant(), eventId, correlationId, kind, flow, step, outcome, durationMillis, detail);
    }

    /** Records a step that began at an earlier instant, where that is when it belongs on the timeline. */
    public void record(Instant at, String eventId, String correlationId, String kind, String flow, String step,
                       String outcome, Long durationMillis, String detail) {
        record(at, eventId, correlationId, kind, flow, null, step, outcome, durationMillis, detail);
    }

    /**
     * Records a step of a flow run, now: its event, correlation id, flow and flow version are the exchange's
     * ({@link FlowContext}); nothing for a shadow run.
     */
    public void record(Exchange run, String kind, String step, String outcome, Long durationMillis, String detail) {
        if (run.getProperty(FlowContext.SHADOW, false, Boolean.class)) {
            // a shadow run is not the event's story: it is in the parity report
            return;
        }
        record(clock.instant(), run.getProperty(FlowContext.EVENT_ID, String.class),
                run.getProperty(FlowContext.CORRELATION_ID, String.class), kind,
                run.getProperty(FlowContext.FLOW, String.class), run.getProperty(FlowContext.FLOW_VERSION, String.class),
                step, outcome, durationMillis, detail);
    }

    private void record(Instant at, String eventId, String correlationId, String kind, String flow, String version,
                        String step, String outcome, Long durationMillis, String detail) {
        if (eventId == null || eventId.isEmpty()) {
            return;
        }
        // a detail is free text (an approver's comment, a downstream error): it holds no personal data at rest
        if (!pending.offer(new TimelineEntry(eventId, blankToNull(correlationId), at, kind, flow, version, step,
                outcome, durationMillis, detail == null ? null : PersonalDataMasking.mask(detail)))) {
            dropped.incrementAndGet();
        }
    }

    /** The steps of one event, in the order they happened. */
    public List<TimelineEntry> ofEvent(String eventId) throws SQLException {
        return select("event_id = ?", eventId);
    }

    /** The steps of every event that carried the correlation id, in the order they happened. */
    public List<TimelineEntry> ofCorrelation(String correlationId) throws SQLException {
        return select("correlation_id = ?", correlationId);
    }

    /** Entries lost because the queue was full, since start. */
    public long dropped() {
        return dropped.get();
    }

    /** Writes what is queued now; the writer does so every flush interval, and on stop. */
    public synchronized void flush() {
        List<TimelineEntry> batch = new ArrayList<>(BATCH);
        while (pending.drainTo(batch, BATCH) > 0) {
            try {
                insert(batch);
            } catch (SQLException e) {
                // the store is down: the entries are lost, the events are not (they never depended on this)
                dropped.addAndGet(batch.size());
                LOG.warn("{} timeline entries not written: {}", batch.size(), e.getMessage());
            }
            batch.clear();
        }
    }

    /** Removes entries older than the retention; returns how many. */
    public int purge() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM event_timeline WHERE at < ?")) {
            delete.setObject(1, utc(clock.instant().minus(retention)));
            return delete.executeUpdate();
        }
    }

    @Override
    protected void doStart() {
        writer = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "event-timeline");
        writer.scheduleWithFixedDelay(this::flush, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (writer != null) {
            camelContext.getExecutorServiceManager().shutdownGraceful(writer);
        }
        flush();
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    private void insert(List<TimelineEntry> batch) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO event_timeline (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            // one commit per batch: in auto-commit, H2 commits (and writes its store) after every row of a JDBC batch
            connection.setAutoCommit(false);
            for (TimelineEntry entry : batch) {
                insert.setString(1, entry.eventId());
                insert.setString(2, entry.correlationId());
                insert.setObject(3, utc(entry.at()));
                insert.setString(4, entry.kind());
                insert.setString(5, entry.flow());
                insert.setString(6, entry.step());
                insert.setString(7, entry.outcome());
                if (entry.duration() == null) {
                    insert.setNull(8, Types.BIGINT);
                } else {
                    insert.setLong(8, entry.duration());
                }
                insert.setString(9, entry.detail());
                insert.setString(10, entry.version());
                insert.addBatch();
            }
            try {
                insert.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private List<TimelineEntry> select(String where, String value) throws SQLException {
        flush(); // what happened a moment ago belongs on the timeline asked for now
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM event_timeline WHERE " + where + " ORDER BY at, id")) {
            select.setString(1, value);
            List<TimelineEntry> entries = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    long duration = row.getLong("duration_ms");
                    entries.add(new TimelineEntry(row.getString("event_id"), row.getString("correlation_id"),
                            row.getObject("at", OffsetDateTime.class).toInstant(), row.getString("kind"),
                            row.getString("flow"), row.getString("version"), row.getString("step"), row.getString("outcome"),
                            row.wasNull() ? null : duration, row.getString("detail")));
                }
            }
            return entries;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

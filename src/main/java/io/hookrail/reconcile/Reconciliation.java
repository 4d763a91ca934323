package io.hookrail.reconcile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.hookrail.broker.EventTopics;
import io.hookrail.dlq.DeadLetter;
import io.hookrail.dlq.DeadLetterKind;
import io.hookrail.dlq.DeadLetterQuery;
import io.hookrail.dlq.DeadLetterStore;
import io.hookrail.reconcile.ReconciliationReport.Effect;
import io.hookrail.reconcile.ReconciliationReport.EventLine;
import io.hookrail.reconcile.ReconciliationReport.Unchecked;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;

/**
 * Builds a {@link ReconciliationReport}: accounts for every event the gateway accepted in a window (its
 * {@code ingest_receipt} rows) in every flow that consumes its type, from what the store and the broker hold, most
 * authoritative first:
 * <ol>
 *     <li>a dead letter of the event in {@code DLQ.<flow>}: dead-lettered, by kind; the event in
 *     {@code QUARANTINE.<flow>}: quarantined, with the rules it failed;</li>
 *     <li>the event on the flow's queue (not yet run, or replayed): in flight;</li>
 *     <li>a pending approval: held; an approved one without an attempt yet: in flight;</li>
 *     <li>its saga attempt: completed, compensated, or in flight while running or compensating;</li>
 *     <li>a rejected or expired approval: rejected;</li>
 *     <li>the flow's last outcome on the event's timeline (a duplicate, a denial leave nothing else behind);</li>
 *     <li>a completed attempt of another event for the receipt's business id: a duplicate;</li>
 *     <li>else unaccounted.</li>
 * </ol>
 * The timeline may drop entries under load, so it is asked late: an event it lost shows as unaccounted (unless it
 * was a duplicate of a business id), never as accounted wrongly.
 * <p>
 * Every completed step (not a compensation) of the window's attempts must have its effect downstream, once: as the
 * step's reconciliation hook finds it ({@link DownstreamHooks}, the production check), else, with the sandbox on, in
 * the sandbox ledger.
 */
final class Reconciliation {

    private final DataSource dataSource;
    /** The dead-letter queues and the quarantine queues. */
    private final Supplier<List<DeadLetterStore>> parked;
    private final ConnectionFactory connectionFactory;
    private final Supplier<Map<String, Map<String, String>>> subscriptions;
    private final Supplier<Map<String, ReconciliationReport.Owner>> owners;
    private final DownstreamHooks hooks;
    private final boolean sandboxEnabled;
    private final Clock clock;

    private record FlowEvent(String flow, String eventId) {
    }

    private record Attempt(String businessId, int attempt, String state) {
    }

    private record Found(Accounting accounting, String detail) {
    }

    Reconciliation(DataSource dataSource, Supplier<List<DeadLetterStore>> parked,
                   ConnectionFactory connectionFactory,
                   Supplier<Map<String, Map<String, String>>> subscriptions,
                   Supplier<Map<String, ReconciliationReport.Owner>> owners, DownstreamHooks hooks,
                   boolean sandboxEnabled, Clock clock) {
        this.dataSource = dataSource;
        this.parked = parked;
        this.connectionFactory = connectionFactory;
        this.subscriptions = subscriptions;
        this.owners = owners;
        this.hooks = hooks;
        this.sandboxEnabled = sandboxEnabled;
        this.clock = clock;
    }

    /** The report of the events accepted in {@code [from, to)}. */
    ReconciliationReport report(Instant from, Instant to) throws SQLException, JMSException {
        Instant at = clock.instant();
        Map<String, Map<String, String>> flowsByType = subscriptions.get();
        Map<FlowEvent, Found> deadLettered = new HashMap<>();
        for (DeadLetterStore store : parked.get()) {
            for (DeadLetter letter : store.list(DeadLetterQuery.ALL)) {
                deadLettered.put(new FlowEvent(letter.flow(), letter.eventId()),
                        letter.kind() == DeadLetterKind.QUARANTINED
                                ? new Found(Accounting.QUARANTINED, String.join(",", letter.rules()))
                                : new Found(Accounting.DEAD_LETTERED, letter.kind().value()));
            }
        }
        Set<FlowEvent> queued = queued(flowsByType);

        List<EventLine> lines = new ArrayList<>();
        List<Effect> missing = new ArrayList<>();
        List<Effect> duplicates = new ArrayList<>();
        List<Unchecked> unchecked = new ArrayList<>();
        Set<String> hooked = hooks.steps();
        Integer checked;
        try (Connection connection = dataSource.getConnection()) {
            Map<FlowEvent, Attempt> attempts = attempts(connection, from);
            Map<FlowEvent, String> approvals = strings(connection,
                    "SELECT flow, event_id, state FROM approval WHERE created_at >= ?", from);
            Map<FlowEvent, String> outcomes = strings(connection, "SELECT flow, event_id, outcome FROM event_timeline"
                    + " WHERE kind = 'outcome' AND flow IS NOT NULL AND at >= ? ORDER BY at, id", from);
            Set<String> windowEvents = new HashSet<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT source, event_id, event_type,"
                    + " received_at, business_id FROM ingest_receipt WHERE received_at >= ? AND received_at < ?"
                    + " ORDER BY received_at, source, event_id")) {
                select.setObject(1, utc(from));
                select.setObject(2, utc(to));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String source = rows.getString(1);
                        String eventId = rows.getString(2);
                        String type = rows.getString(3);
                        Instant receivedAt = rows.getObject(4, OffsetDateTime.class).toInstant();
                        String businessId = rows.getString(5);
                        windowEvents.add(eventId);
                        Map<String, String> flows = flowsByType.getOrDefault(type, Map.of());
                        if (flows.isEmpty()) {
                            lines.add(new EventLine("", source, eventId, type, receivedAt, Accounting.NO_FLOW, null));
                        }
                        for (String flow : flows.keySet()) {
                            FlowEvent key = new FlowEvent(flow, eventId);
                            Found found = account(key, deadLettered, queued, approvals, attempts, outcomes);
                            if (found.accounting() == Accounting.UNACCOUNTED && businessId != null) {
                                found = duplicateOf(connection, flow, businessId, eventId, found);
                            }
                            lines.add(new EventLine(flow, source, eventId, type, receivedAt, found.accounting(),
                                    found.detail()));
                        }
                    }
                }
            }
            checked = sandboxEnabled || !hooked.isEmpty()
                    ? crossCheck(connection, from, attempts, windowEvents, hooked, missing, duplicates, unchecked)
                    : null;
        }
        return new ReconciliationReport(from, to, at, lines, owners.get(), checked, hooked, missing, duplicates,
                unchecked);
    }

    /** The bucket an event is in, and its detail. */
    private static Found account(FlowEvent key, Map<FlowEvent, Found> deadLettered, Set<FlowEvent> queued,
                                 Map<FlowEvent, String> approvals, Map<FlowEvent, Attempt> attempts,
                                 Map<FlowEvent, String> outcomes) {
        if (deadLettered.containsKey(key)) {
            return deadLettered.get(key);
        }
        if (queued.contains(key)) {
            return new Found(Accounting.IN_FLIGHT, "queued");
        }
        String approval = approvals.get(key);
        Attempt attempt = attempts.get(key);
        if ("PENDING".equals(approval)) {
            return new Found(Accounting.HELD, null);
        }
        if (attempt != null) {
            return switch (attempt.state()) {
                case "COMPLETED" -> new Found(Accounting.COMPLETED, null);
                case "COMPENSATED" -> new Found(Accounting.COMPENSATED, null);
                default -> new Found(Accounting.IN_FLIGHT, attempt.state().toLowerCase(Locale.ROOT));
            };
        }
        if ("APPROVED".equals(approval)) {
            return new Found(Accounting.IN_FLIGHT, "approved");
        }
        if (approval != null) {
            return new Found(Accounting.REJECTED, approval.toLowerCase(Locale.ROOT));
        }
        Accounting outcome = Accounting.ofOutcome(outcomes.get(key));
        return new Found(outcome == null ? Accounting.UNACCOUNTED : outcome, null);
    }

    /**
     * A second delivery of a business entity under another event id, whose timeline lost its {@code duplicate}
     * outcome: the entity has a completed attempt of another event in the flow (at any time, not only in the window).
     * Asked only for an event nothing else accounts for, so it is one primary-key lookup for a rare case.
     */
    private static Found duplicateOf(Connection connection, String flow, String businessId, String eventId,
                                     Found otherwise) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT event_id FROM flow_attempt WHERE flow = ?"
                + " AND business_id = ? AND state = 'COMPLETED' AND event_id <> ?")) {
            select.setString(1, flow);
            select.setString(2, businessId);
            select.setString(3, eventId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? new Found(Accounting.DUPLICATE, "of " + rows.getString(1)) : otherwise;
            }
        }
    }

    /**
     * Each completed step of the window's latest attempts, downstream. A step with a hook: the records its hook finds
     * for the business id must be one (a hook that fails leaves the step unchecked, with why). Else, with the sandbox
     * on, its effect must be in the ledger (by its idempotency key), and only once: the ledger's entries of that
     * operation on that business id, less those of steps undone by a compensation (an earlier, compensated attempt),
     * must be one. Returns the steps checked.
     */
    private int crossCheck(Connection connection, Instant from, Map<FlowEvent, Attempt> attempts,
                           Set<String> windowEvents, Set<String> hooked, List<Effect> missing,
                           List<Effect> duplicates, List<Unchecked> unchecked) throws SQLException {
        record Step(String flow, String businessId, int attempt, String step, String key, String state) {
        }
        List<Step> steps = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT j.flow, j.business_id, j.attempt, j.step,"
                + " j.idempotency_key, j.state FROM flow_step_journal j JOIN flow_attempt a ON a.flow = j.flow"
                + " AND a.business_id = j.business_id AND a.attempt = j.attempt"
                + " WHERE a.started_at >= ? AND j.undoes IS NULL")) {
            select.setObject(1, utc(from));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    steps.add(new Step(rows.getString(1), rows.getString(2), rows.getInt(3), rows.getString(4),
                            rows.getString(5), rows.getString(6)));
                }
            }
        }
        Set<String> undone = new HashSet<>();
        steps.stream().filter(step -> "COMPENSATED".equals(step.state())).forEach(step -> undone.add(step.key()));
        record Entry(String operation, String businessId, String key) {
        }
        Map<String, Entry> byKey = new HashMap<>();
        Map<String, Integer> standing = new HashMap<>(); // operation + business id -> entries not undone
        if (sandboxEnabled) {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT operation, business_id, idempotency_key FROM sandbox_ledger WHERE at >= ?")) {
                select.setObject(1, utc(from));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        Entry entry = new Entry(rows.getString(1), rows.getString(2), rows.getString(3));
                        byKey.putIfAbsent(entry.key(), entry);
                        if (!undone.contains(entry.key())) {
                            standing.merge(entry.operation() + "\n" + entry.businessId(), 1, Integer::sum);
                        }
                    }
                }
            }
        }
        Map<String, Integer> found = new HashMap<>(); // step + business id -> the hook's records
        Map<String, String> eventOfAttempt = new HashMap<>();
        attempts.forEach((key, attempt) -> eventOfAttempt.put(
                key.flow() + "\n" + attempt.businessId() + "\n" + attempt.attempt(), key.eventId()));
        int checked = 0;
        for (Step step : steps) {
            String eventId = eventOfAttempt.get(step.flow() + "\n" + step.businessId() + "\n" + step.attempt());
            if (!"DONE".equals(step.state()) || eventId == null || !windowEvents.contains(eventId)) {
                continue;
            }
            int effects;
            String by;
            if (hooked.contains(step.step())) {
                by = Effect.HOOK;
                try {
                    effects = found.computeIfAbsent(step.step() + "\n" + step.businessId(),
                            any -> hooks.effects(step.step(), step.businessId(), step.key()));
                } catch (RuntimeException failed) {
                    unchecked.add(new Unchecked(step.flow(), eventId, step.businessId(), step.step(), step.key(),
                            String.valueOf(failed.getMessage())));
                    continue;
                }
            } else if (sandboxEnabled) {
                by = Effect.SANDBOX;
                Entry entry = byKey.get(step.key());
                effects = entry == null ? 0 : standing.getOrDefault(entry.operation() + "\n" + entry.businessId(), 0);
            } else {
                continue;
            }
            checked++;
            if (effects == 0) {
                missing.add(new Effect(step.flow(), eventId, step.businessId(), step.step(), step.key(), 0, by));
            } else if (effects > 1) {
                duplicates.add(new Effect(step.flow(), eventId, step.businessId(), step.step(), step.key(), effects,
                        by));
            }
        }
        return checked;
    }

    /** The latest attempt of each event in each flow, of the attempts started since the window's start. */
    private static Map<FlowEvent, Attempt> attempts(Connection connection, Instant from) throws SQLException {
        Map<FlowEvent, Attempt> attempts = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT flow, event_id, business_id, attempt,"
                + " state FROM flow_attempt WHERE started_at >= ? ORDER BY attempt")) {
            select.setObject(1, utc(from));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    attempts.put(new FlowEvent(rows.getString(1), rows.getString(2)),
                            new Attempt(rows.getString(3), rows.getInt(4), rows.getString(5)));
                }
            }
        }
        return attempts;
    }

    /** {@code (flow, event id) -> value} of a query of those three columns; a later row wins. */
    private static Map<FlowEvent, String> strings(Connection connection, String sql, Instant from)
            throws SQLException {
        Map<FlowEvent, String> values = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, utc(from));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.put(new FlowEvent(rows.getString(1), rows.getString(2)), rows.getString(3));
                }
            }
        }
        return values;
    }

    /** The events waiting on the flows' queues, browsed. */
    private Set<FlowEvent> queued(Map<String, Map<String, String>> flowsByType) throws JMSException {
        Set<FlowEvent> queued = new HashSet<>();
        try (jakarta.jms.Connection connection = connectionFactory.createConnection()) {
            connection.start();
            try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                for (Map<String, String> flows : flowsByType.values()) {
                    for (Map.Entry<String, String> flow : flows.entrySet()) {
                        try (QueueBrowser browser = session.createBrowser(session.createQueue(flow.getValue()))) {
                            for (Enumeration<?> messages = browser.getEnumeration(); messages.hasMoreElements(); ) {
                                Object id = ((Message) messages.nextElement())
                                        .getObjectProperty(EventTopics.EVENT_ID_HEADER);
                                if (id != null) {
                                    queued.add(new FlowEvent(flow.getKey(), id.toString()));
                                }
                            }
                        }
                    }
                }
            }
        }
        return queued;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

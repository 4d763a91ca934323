package io.hookrail.ops.metrics;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.JMSException;

import io.hookrail.approval.ApprovalStore;
import io.hookrail.dlq.DeadLetter;
import io.hookrail.dlq.DeadLetterQuery;
import io.hookrail.dlq.DeadLetterStore;

/**
 * Reads what the gauges show from where it lives: the dead letters from the broker's {@code DLQ.*} queues, the
 * pending approvals from the store. Every flow gets a value, zero included, so an alert can tell "none" from "not
 * reported".
 */
public final class MetricsSampler {

    private final HookrailMetrics metrics;
    private final DeadLetterStore deadLetters;
    private final ApprovalStore approvals;
    private final Clock clock;

    public MetricsSampler(HookrailMetrics metrics, DeadLetterStore deadLetters, ApprovalStore approvals, Clock clock) {
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.approvals = approvals;
        this.clock = clock;
    }

    public void sample(List<String> flows) throws JMSException, SQLException {
        Instant now = clock.instant();
        Map<String, long[]> dlq = zeroes(flows);
        for (DeadLetter letter : deadLetters.list(DeadLetterQuery.ALL)) {
            tally(dlq, letter.flow(), letter.failedAt(), now);
        }
        dlq.forEach((flow, depthAndAge) -> metrics.deadLetters(flow, depthAndAge[0], depthAndAge[1]));

        // counted by the store: the held events themselves are not read for a gauge
        Map<String, long[]> pending = zeroes(flows);
        for (ApprovalStore.Pending waiting : approvals.pendingByFlow()) {
            pending.put(waiting.flow(), new long[] {waiting.count(), age(waiting.oldestCreatedAt(), now)});
        }
        pending.forEach((flow, countAndAge) -> metrics.pendingApprovals(flow, countAndAge[0], countAndAge[1]));
    }

    /** Every flow's shared gauges at zero: what an instance shows while another one samples. */
    public void zero(List<String> flows) {
        for (String flow : flows) {
            metrics.deadLetters(flow, 0, 0);
            metrics.pendingApprovals(flow, 0, 0);
        }
    }

    private static Map<String, long[]> zeroes(List<String> flows) {
        Map<String, long[]> values = new HashMap<>();
        flows.forEach(flow -> values.put(flow, new long[2]));
        return values;
    }

    /** One more for the flow, and the age of the oldest so far. */
    private static void tally(Map<String, long[]> values, String flow, Instant since, Instant now) {
        long[] value = values.computeIfAbsent(flow == null ? "unknown" : flow, key -> new long[2]);
        value[0]++;
        value[1] = Math.max(value[1], age(since, now));
    }

    private static long age(Instant since, Instant now) {
        return Math.max(0, Duration.between(since, now).toSeconds());
    }
}

package io.hookrail.approval;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.camel.StaticService;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The approvals waiting for a person, over JMX (Hawtio, through Jolokia): how many, and how long the oldest waits.
 * Both are read from the store on each call, so every instance sharing a database shows the same numbers.
 */
@ManagedResource(description = "Approvals waiting for a decision")
public final class PendingApprovals extends ServiceSupport implements StaticService {

    private final ApprovalStore store;
    private final Clock clock;

    public PendingApprovals(ApprovalStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @ManagedAttribute(description = "Approvals waiting for a decision, in every flow")
    public long getPendingCount() throws SQLException {
        return store.pendingByFlow().stream().mapToLong(ApprovalStore.Pending::count).sum();
    }

    @ManagedAttribute(description = "Approvals waiting for a decision, per flow that has any")
    public Map<String, Long> getPendingByFlow() throws SQLException {
        Map<String, Long> byFlow = new TreeMap<>();
        store.pendingByFlow().forEach(pending -> byFlow.put(pending.flow(), pending.count()));
        return byFlow;
    }

    @ManagedAttribute(description = "Seconds the oldest pending approval has waited; 0 when none is pending")
    public long getOldestPendingAgeSeconds() throws SQLException {
        return oldest(store.pendingByFlow())
                .map(created -> Math.max(0, Duration.between(created, clock.instant()).toSeconds()))
                .orElse(0L);
    }

    @ManagedAttribute(description = "When the oldest pending approval was created (ISO-8601); empty when none is")
    public String getOldestPendingCreatedAt() throws SQLException {
        return oldest(store.pendingByFlow()).map(Instant::toString).orElse("");
    }

    private static Optional<Instant> oldest(List<ApprovalStore.Pending> pending) {
        return pending.stream().map(ApprovalStore.Pending::oldestCreatedAt).min(Instant::compareTo);
    }
}

package io.hookrail.reconcile;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.jms.JMSException;
import org.apache.camel.StaticService;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;

/** The reconciliation over JMX (Hawtio, through Jolokia): the report {@code GET /api/reconciliation} answers. */
@ManagedResource(description = "Reconciliation of the accepted events with their flows' ends and downstream effects")
public final class ReconciliationService extends ServiceSupport implements StaticService {

    private final Reconciliation reconciliation;
    private final Clock clock;

    ReconciliationService(Reconciliation reconciliation, Clock clock) {
        this.reconciliation = reconciliation;
        this.clock = clock;
    }

    @ManagedOperation(description = "The reconciliation report (JSON) of the events accepted from an ISO-8601 instant"
            + " to another (parameters: from, to, e.g. 2026-01-31T00:00:00Z; both empty for the last 24 hours)")
    public String reconcile(String from, String to) throws SQLException, JMSException {
        Instant end = to == null || to.isBlank() ? clock.instant() : Instant.parse(to.trim());
        Instant start = from == null || from.isBlank() ? end.minus(Duration.ofHours(24)) : Instant.parse(from.trim());
        return reconciliation.report(start, end).toJson().toString();
    }

    @ManagedOperation(description = "How many events accepted in the last ISO-8601 duration (e.g. PT24H) nothing"
            + " accounts for")
    public long unaccounted(String window) throws SQLException, JMSException {
        Instant end = clock.instant();
        return reconciliation.report(end.minus(Duration.parse(window.trim())), end).unaccounted();
    }
}

package io.hookrail.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import io.hookrail.dlq.DeadLetterReplays;
import io.hookrail.ops.AdminAccess;
import io.hookrail.ops.AdminRequests;
import io.hookrail.ops.AdminRole;
import io.hookrail.ops.ApiProblem;
import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.HttpAnswers;
import io.hookrail.ops.metrics.HookrailMetrics;
import io.hookrail.quality.Quarantine;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.cluster.ClusterServiceHelper;

/**
 * The reconciliation: {@code GET /api/reconciliation?from=&to=&format=} (any admin role; JSON, or CSV with
 * {@code format=csv} or {@code Accept: text/csv}), the {@link ReconciliationService} MBean, and a scheduled run on the
 * instance holding the {@code reconciliation} singleton (ADR 9) whose findings are gauges.
 */
public class ReconciliationRoutes extends RouteBuilder {

    static final String CSV = "text/csv";
    /** The singleton namespace of the scheduled run. */
    private static final String SINGLETON = "reconciliation";
    private static final Set<String> PARAMETERS = Set.of("from", "to", "format");

    @BeanInject
    private AdminAccess access;
    @BeanInject(DeadLetterReplays.BEAN)
    private DeadLetterReplays deadLetters;
    @BeanInject(Quarantine.REPLAYS_BEAN)
    private DeadLetterReplays quarantine;
    @BeanInject(HookrailMetrics.BEAN)
    private HookrailMetrics metrics;
    @BeanInject
    private DataSource dataSource;
    @BeanInject("jmsConnectionFactory")
    private ConnectionFactory connectionFactory;
    @PropertyInject(value = "hookrail.sandbox.enabled", defaultValue = "true")
    private boolean sandboxEnabled;
    @PropertyInject(value = "hookrail.reconciliation.window", defaultValue = "PT24H")
    private String window;

    private final Clock clock = Clock.systemUTC();

    @Override
    public void configure() throws Exception {
        Duration scheduledWindow;
        try {
            scheduledWindow = Duration.parse(window.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("hookrail.reconciliation.window must be an ISO-8601 duration such as"
                    + " PT24H, not '" + window + "'", e);
        }
        ProducerTemplate hookCalls = getContext().createProducerTemplate();
        getContext().addService(hookCalls, true); // stopped with the context
        Reconciliation reconciliation = new Reconciliation(dataSource,
                () -> List.of(deadLetters.store(), quarantine.store()), connectionFactory,
                () -> FlowSubscriptions.byType(getContext()), () -> FlowSubscriptions.owners(getContext()),
                new DownstreamHooks(getContext(), hookCalls), sandboxEnabled, clock);
        getContext().addService(new ReconciliationService(reconciliation, clock));

        from("platform-http:/api/reconciliation?httpMethodRestrict=GET")
                .routeId("reconciliation")
                .onException(Exception.class).handled(true).process(AdminRequests::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(exchange -> answer(exchange, reconciliation));

        from("master:" + SINGLETON + ":timer:reconciliation?delay={{hookrail.reconciliation.intervalMillis}}"
                + "&period={{hookrail.reconciliation.intervalMillis}}")
                .routeId("reconciliation-scheduled")
                .process(exchange -> {
                    Instant now = clock.instant();
                    ReconciliationReport report = reconciliation.report(now.minus(scheduledWindow), now);
                    metrics.reconciliation(report.unaccounted(), report.missingEffects().size(),
                            report.duplicateEffects().size());
                    log.info("Reconciliation of the last {}: {} unaccounted, {} missing and {} duplicate effects",
                            scheduledWindow, report.unaccounted(), report.missingEffects().size(),
                            report.duplicateEffects().size());
                });
        // while another instance holds the scheduled run, this one shows its gauges at zero, not frozen at what it
        // found when it last held it (ADR 9), so alerts taking the max over instances follow the current run
        from("timer:reconciliation-local?period={{hookrail.reconciliation.intervalMillis}}")
                .routeId("reconciliation-local")
                .filter(exchange -> !ClusterServiceHelper.lookupService(getContext())
                        .map(cluster -> cluster.isLeader(SINGLETON)).orElse(true))
                .process(exchange -> metrics.reconciliation(0, 0, 0));
    }

    void answer(Exchange exchange, Reconciliation reconciliation) throws Exception {
        Map<String, String> query = AdminRequests.query(exchange, PARAMETERS);
        Instant to = instant(query, "to", clock.instant());
        Instant from = instant(query, "from", to.minus(Duration.ofHours(24)));
        if (!from.isBefore(to)) {
            throw ApiProblem.badRequest("from must be before to: " + from + " is not before " + to);
        }
        String format = query.get("format");
        if (format != null && !format.equals("csv") && !format.equals("json")) {
            throw ApiProblem.badRequest("format must be csv or json, not '" + AdminRequests.printable(format) + "'");
        }
        String accept = exchange.getMessage().getHeader("Accept", "", String.class);
        boolean csv = "csv".equals(format) || (format == null && accept.contains(CSV));
        ReconciliationReport report = reconciliation.report(from, to);
        if (csv) {
            HttpAnswers.content(exchange, 200, CSV + "; charset=utf-8", report.toCsv());
        } else {
            HttpAnswers.json(exchange, 200, report.toJson().toString());
        }
    }

    private static Instant instant(Map<String, String> query, String name, Instant fallback) throws ApiProblem {
        String value = query.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(name + " is not an ISO-8601 instant such as 2026-01-31T00:00:00Z: "
                    + AdminRequests.printable(value));
        }
    }
}

package io.hookrail.ops.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Hookrail's own meters, in the registry Camel's Micrometer support scrapes at {@code /observe/metrics}. Names are
 * Micrometer's dotted names; Prometheus sees them as {@code hookrail_webhooks_received_total} and so on (the
 * metrics table of docs/operations.md lists them all). Labels carry only values Hookrail chose (sources, types, flows it knows), never a
 * sender's free text, so a hostile sender cannot blow up the number of series.
 */
public final class HookrailMetrics {

    /** The registry name of the bean. */
    public static final String BEAN = "hookrailMetrics";

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    public HookrailMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The outcomes of a webhook delivery, as its counter's {@code outcome} label. */
    public static final List<String> WEBHOOK_OUTCOMES = List.of("accepted", "duplicate", "bad_request", "unauthorized",
            "unknown_source", "type_not_allowed", "too_large", "unsupported_media_type", "rate_limited", "unavailable");
    /** The outcomes of a flow run, as its counter's {@code outcome} label. */
    public static final List<String> FLOW_OUTCOMES = List.of("completed", "compensated", "held", "denied", "rejected",
            "expired", "dead_lettered", "duplicate", "quarantined");
    /** The results of a synthetic probe, as its timer's {@code result} label. */
    public static final List<String> PROBE_RESULTS = List.of("success", "failure", "timeout", "refused");

    /**
     * Creates the counters of the sources' event types at zero: Prometheus' {@code increase()} misses the first
     * count of a series that appears with it, so a first dead letter would never alert.
     */
    public void sourcesKnown(Map<String, ? extends Iterable<String>> typesBySource) {
        typesBySource.forEach((source, types) -> types.forEach(type -> WEBHOOK_OUTCOMES.forEach(
                outcome -> webhooks(source, type, outcome))));
    }

    /** Creates the counters of the flows at zero, as {@link #sourcesKnown} does for the sources. */
    public void flowsKnown(Map<String, String> versionByFlow) {
        versionByFlow.forEach((flow, version) -> {
            FLOW_OUTCOMES.forEach(outcome -> flowOutcomes(flow, version, outcome));
            redeliveries(flow, version);
        });
    }

    /**
     * The flow's metadata as the labels of a gauge of 1 ({@code hookrail_flow_info}), to join other series on
     * {@code flow} by: who owns it, its risk tier and the KPI it moves.
     */
    public void flowInfo(String flow, String version, String owner, String riskTier, String kpi) {
        Gauge.builder("hookrail.flow.info", () -> 1)
                .description("A flow, its stable version, owner, risk tier and KPI (always 1)")
                .tags("flow", flow, "version", version, "owner", owner, "risk_tier", riskTier, "kpi", kpi)
                .register(registry);
    }

    /** Creates the probe series of a flow at zero, so the first failure shows in {@code increase()}. */
    public void probesKnown(String flow) {
        PROBE_RESULTS.forEach(result -> probes(flow, result));
    }

    /** A synthetic probe of the flow and how long it took to its end: success, failure, timeout or refused. */
    public void probeResult(String flow, String result, Duration took) {
        probes(flow, result).record(took);
    }

    private Timer probes(String flow, String result) {
        return Timer.builder("hookrail.probe.duration")
                .description("Synthetic probes by flow and result, and the time from their send to their run's end")
                .tags("flow", flow, "result", result).register(registry);
    }

    /** A delivery to the webhook gateway and how it ended: accepted, duplicate, or a rejection. */
    public void webhookReceived(String source, String type, String outcome) {
        webhooks(source, type, outcome).increment();
    }

    /**
     * How one run of a flow ended: completed, compensated, held, denied, rejected, expired, dead_lettered or
     * duplicate.
     */
    public void flowOutcome(String flow, String version, String outcome) {
        flowOutcomes(flow, version, outcome).increment();
    }

    /** A redelivery of a failed run or compensation of the flow's version. */
    public void redelivery(String flow, String version) {
        redeliveries(flow, version).increment();
    }

    /**
     * A downstream call of a step of a flow version and its HTTP status class (2xx, 4xx, 5xx, or error without an
     * answer).
     */
    public void downstreamCall(String system, String operation, String status, String flow, String version,
                               Duration took) {
        Timer.builder("hookrail.downstream.call")
                .description("Latency of downstream calls by system and operation, and the flow version calling")
                .tags("system", system, "operation", operation, "status", status, "flow", flow, "version", version)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry).record(took);
    }

    /** A business outcome: an order fulfilled, an invoice posted, a refund issued, a lead routed; with its amount. */
    public void businessEvent(String kpi, Long amountMinor, String currency) {
        Counter.builder("hookrail.business.events").description("Business outcomes of the flows")
                .tag("kpi", kpi).register(registry).increment();
        if (amountMinor != null && currency != null) {
            Counter.builder("hookrail.business.amount.minor.units")
                    .description("Amounts of the business outcomes, in minor units of their currency")
                    .tags("kpi", kpi, "currency", currency).register(registry).increment(amountMinor);
        }
    }

    /** An event of the flow was quarantined for failing this data-quality rule (once per rule it failed). */
    public void quarantined(String flow, String rule) {
        Counter.builder("hookrail.quarantined").description("Events quarantined at flow entry, by flow and failed rule")
                .tags("flow", flow, "rule", rule).register(registry).increment();
    }

    /**
     * The volume model's latest judgement of a source's event type: accepted events in the last hour, what was
     * expected, and whether that is a drop or a spike (1) or not (0).
     */
    public void volume(String source, String type, long observed, double expected, boolean drop, boolean spike) {
        volumeGauge("hookrail.volume.observed", "Events of the source and type accepted in the last hour",
                source, type, null).set(Double.doubleToLongBits(observed));
        volumeGauge("hookrail.volume.expected", "Events of the source and type expected in the last hour",
                source, type, null).set(Double.doubleToLongBits(expected));
        volumeGauge("hookrail.volume.anomaly", "1 when the last hour's volume is a drop or a spike against the"
                + " expected one", source, type, "drop").set(Double.doubleToLongBits(drop ? 1 : 0));
        volumeGauge("hookrail.volume.anomaly", "1 when the last hour's volume is a drop or a spike against the"
                + " expected one", source, type, "spike").set(Double.doubleToLongBits(spike ? 1 : 0));
    }

    /** The dead letters of a flow: how many, and how long the oldest has waited. */
    public void deadLetters(String flow, long depth, long oldestAgeSeconds) {
        gauge("hookrail.dlq.depth", "Dead letters waiting in DLQ.<flow>", null, flow).set(depth);
        gauge("hookrail.dlq.oldest.age", "Age of the oldest dead letter of the flow (0 when none)", "seconds", flow)
                .set(oldestAgeSeconds);
    }

    /** The pending approvals of a flow: how many, and how long the oldest has waited. */
    public void pendingApprovals(String flow, long pending, long oldestAgeSeconds) {
        gauge("hookrail.approvals.pending", "Approvals waiting for a decision", null, flow).set(pending);
        gauge("hookrail.approvals.oldest.pending.age", "Age of the oldest pending approval (0 when none)", "seconds",
                flow).set(oldestAgeSeconds);
    }

    /**
     * The last scheduled reconciliation: accepted events nothing accounts for, and completed steps whose downstream
     * effect is missing or doubled (0 when the cross-check is not available).
     */
    public void reconciliation(long unaccounted, long missingEffects, long duplicateEffects) {
        single("hookrail.reconciliation.unaccounted", "Accepted events of the last reconciliation that reached no"
                + " known end").set(unaccounted);
        single("hookrail.reconciliation.missing.effects", "Completed steps of the last reconciliation whose"
                + " downstream effect is missing").set(missingEffects);
        single("hookrail.reconciliation.duplicate.effects", "Completed steps of the last reconciliation whose"
                + " downstream effect is there more than once").set(duplicateEffects);
    }

    /** Timeline entries dropped (queue full or store down), read at each scrape. */
    public void timelineDrops(LongSupplier dropped) {
        FunctionCounter.builder("hookrail.timeline.dropped", dropped, LongSupplier::getAsLong)
                .description("Timeline entries not written: the queue was full or the store down").register(registry);
    }

    /** The state of a downstream system's circuit breaker (0 closed, 1 open, 2 half-open), read at each scrape. */
    public void circuitBreaker(String system, java.util.function.IntSupplier state) {
        Gauge.builder("hookrail.circuit.breaker.state", () -> state.getAsInt())
                .description("Circuit breaker of a downstream system: 0 closed, 1 open, 2 half-open")
                .tags("system", system).register(registry);
    }

    /** 1 while readiness is up, else 0; read at each scrape. */
    public void readiness(BooleanSupplier ready) {
        Gauge.builder("hookrail.ready", () -> ready.getAsBoolean() ? 1 : 0)
                .description("1 when Hookrail is ready (broker, store and gateway up), else 0").register(registry);
    }

    private Counter webhooks(String source, String type, String outcome) {
        return Counter.builder("hookrail.webhooks.received").description("Webhook deliveries by source, type and outcome")
                .tags("source", source, "type", type, "outcome", outcome).register(registry);
    }

    private Counter flowOutcomes(String flow, String version, String outcome) {
        return Counter.builder("hookrail.flow.outcomes").description("Flow runs by flow, flow version and outcome")
                .tags("flow", flow, "version", version, "outcome", outcome).register(registry);
    }

    private Counter redeliveries(String flow, String version) {
        return Counter.builder("hookrail.flow.redeliveries").description("Redelivery attempts of failed flow runs")
                .tags("flow", flow, "version", version).register(registry);
    }

    private AtomicLong single(String name, String description) {
        return gauges.computeIfAbsent(name, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).description(description).register(registry);
            return value;
        });
    }

    /** A gauge of doubles (kept as their bits), by source and type, and direction when given. */
    private AtomicLong volumeGauge(String name, String description, String source, String type, String direction) {
        return gauges.computeIfAbsent(name + "|" + source + "|" + type + "|" + direction, key -> {
            AtomicLong bits = new AtomicLong(Double.doubleToLongBits(0));
            Gauge.Builder<AtomicLong> gauge = Gauge.builder(name, bits, value -> Double.longBitsToDouble(value.get()))
                    .description(description).tags("source", source, "type", type);
            if (direction != null) {
                gauge.tag("direction", direction);
            }
            gauge.register(registry);
            return bits;
        });
    }

    private AtomicLong gauge(String name, String description, String unit, String flow) {
        return gauges.computeIfAbsent(name + "|" + flow, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).description(description).baseUnit(unit).tag("flow", flow)
                    .register(registry);
            return value;
        });
    }
}

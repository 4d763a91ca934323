package io.hookrail.poll;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The polling sources' meters: {@code hookrail_poll_items_total{source,outcome}}, and, from the instance holding a
 * source's poller (ADR 9; 0 on the others, so aggregate with {@code max}),
 * {@code hookrail_poll_last_success_timestamp_seconds{source}} and {@code hookrail_poll_lag_seconds{source}}, the
 * time since that last success or since this instance took the poller over, whichever is later (so a poller that
 * never succeeds lags too); and {@code hookrail_poll_interval_seconds{source}}, against which the lag is alerted.
 */
final class PollMetrics {

    /** The outcomes of a polled item, as its counter's {@code outcome} label. */
    static final List<String> OUTCOMES = List.of("accepted", "duplicate", "invalid");

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicLong> lastSuccessMillis = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> heldSinceMillis = new ConcurrentHashMap<>();

    PollMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Creates the source's series at zero, so that a first count is seen by {@code increase()}. */
    void known(PollingSource source) {
        OUTCOMES.forEach(outcome -> items(source.name(), outcome));
        double seconds = source.interval().toMillis() / 1000.0; // held by the gauge, unlike a weakly held state
        Gauge.builder("hookrail.poll.interval", () -> seconds)
                .description("The source's polling interval").baseUnit("seconds").tag("source", source.name())
                .register(registry);
        series(source.name());
    }

    private AtomicLong series(String name) {
        return lastSuccessMillis.computeIfAbsent(name, known -> {
            AtomicLong last = new AtomicLong();
            AtomicLong held = heldSinceMillis.computeIfAbsent(name, n -> new AtomicLong());
            Gauge.builder("hookrail.poll.last.success.timestamp", last, value -> value.get() / 1000.0)
                    .description("When the source's last poll window reached the end of what the remote system had"
                            + " (0: none on this instance)")
                    .baseUnit("seconds").tag("source", name).register(registry);
            Gauge.builder("hookrail.poll.lag", last, value -> held.get() == 0 ? 0
                            : (clock.millis() - Math.max(value.get(), held.get())) / 1000.0)
                    .description("Seconds since the source's last successful poll window, or since this instance"
                            + " took its poller over (0: not on this instance)")
                    .baseUnit("seconds").tag("source", name).register(registry);
            return last;
        });
    }

    /** This instance holds the source's poller: its lag counts from now if it has no success yet. */
    void holding(String source) {
        series(source);
        heldSinceMillis.get(source).compareAndSet(0, clock.millis());
    }

    void item(String source, String outcome) {
        items(source, outcome).increment();
    }

    void succeeded(String source) {
        series(source).set(clock.millis());
    }

    /** This instance does not hold the source's poller (any more): its gauges read 0. */
    void notHolding(String source) {
        series(source).set(0);
        heldSinceMillis.get(source).set(0);
    }

    private Counter items(String source, String outcome) {
        return Counter.builder("hookrail.poll.items").description("Items a polling source found, by what became of"
                + " them at the door").tag("source", source).tag("outcome", outcome).register(registry);
    }
}
